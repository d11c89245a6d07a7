/**
 * The kernel's own data structures read from a dump's memory with BTF layouts and kallsyms
 * addresses, without debuginfo: loaded modules, tasks, per-CPU state, pending timers, ORC stacks.
 */
@NullMarked
package org.ktriage.ingest.kernel;

import org.jspecify.annotations.NullMarked;
