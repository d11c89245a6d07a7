package org.ktriage.model;

import org.jspecify.annotations.Nullable;

/**
 * The instruction at the fault: decoded from the {@code Code:} bytes of a report (x86-64 {@code
 * <48>} marker, arm64 {@code (f9400021)} word) or from the kernel text in a dump, with its memory
 * operand resolved against the report's register dump.
 *
 * @param arch {@code x86_64} or {@code arm64}
 * @param source where the bytes came from: {@code code-line} or {@code kernel-text}
 * @param address the instruction's address ({@code RIP}/{@code pc}), or null when unknown
 * @param bytes the instruction's bytes in hex, as printed ({@code 48 89 71 08}, {@code f9400021})
 * @param mnemonic the mnemonic as the disassembler prints it ({@code mov}, {@code ldr}), with any
 *     {@code lock}/{@code rep} prefix
 * @param text the whole instruction (AT&amp;T syntax on x86-64: {@code mov %rsi,0x8(%rcx)})
 * @param memory the memory operand, or null when the instruction has none
 * @param baseValue the base register's value from the register dump, or null
 * @param indexValue the index register's value from the register dump, or null
 * @param effectiveAddress base + index * scale + displacement (segment bases not added), or null
 *     when a register value is missing
 * @param faultAddress the fault address the report gives ({@code CR2}, {@code address:}, {@code
 *     FAR}), or null
 * @param explainsFault whether the effective address equals the fault address (null when either is
 *     unknown)
 */
public record FaultingInstruction(
    String arch,
    String source,
    @Nullable Long address,
    String bytes,
    String mnemonic,
    String text,
    @Nullable MemoryOperand memory,
    @Nullable Long baseValue,
    @Nullable Long indexValue,
    @Nullable Long effectiveAddress,
    @Nullable Long faultAddress,
    @Nullable Boolean explainsFault) {}
