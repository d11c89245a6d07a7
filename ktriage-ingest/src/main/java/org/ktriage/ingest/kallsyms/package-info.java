/** Kernel symbol table decoding from the kallsyms tables that VMCOREINFO points at. */
@NullMarked
package org.ktriage.ingest.kallsyms;

import org.jspecify.annotations.NullMarked;
