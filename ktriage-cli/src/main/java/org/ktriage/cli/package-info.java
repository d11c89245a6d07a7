/**
 * The {@code ktriage} command line: picocli commands, exit codes and progress; the only place in
 * ktriage that prints.
 */
@NullMarked
package org.ktriage.cli;

import org.jspecify.annotations.NullMarked;
