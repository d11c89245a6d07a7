/**
 * Instruction decoding for the faulting instruction: the {@code Code:} bytes of a report and the
 * kernel text of a dump, x86-64 and arm64, down to the memory operand.
 */
@NullMarked
package org.ktriage.ingest.insn;

import org.jspecify.annotations.NullMarked;
