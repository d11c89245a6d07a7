package org.ktriage.ingest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes on standard input, through ingest's front door: the input registry ({@code
 * InputFormats}) recognises them by their first bytes, unwraps compressed containers (gzip, xz,
 * zstd, bzip2, lz4, lzop, nested at most twice), and hands the content to the text reader or,
 * spooled, to the dump readers. A report (whole or PARTIAL) or an unreadable-input exception comes
 * out.
 *
 * <p>Each container inflates at most {@link InflationCap#INFLATED_CAP} here, not the 1 GiB of
 * {@code ReadLimits.INFLATED_BYTES}: the cap is the same code path ({@code Ingest.read}'s cap
 * parameter), and a few KiB of bzip2 or zstd no longer cost a GiB of inflation each. The target
 * checks that a hit cap is said: when the innermost container, whose content the readers read to
 * its end, holds more than the cap ({@link InflationCap}: inflated there independently, by the same
 * decoders, with a margin past the cap so that a decoder's cut or corrupt tail cannot blur the
 * line), the report must be PARTIAL with the cap among its problems. Seeds: a real kernel log and
 * the head of the real kdump, each in every container, a log compressed twice, and logs inflating
 * past the cap (once, and nested).
 */
class InputFormatsFuzzer {
  // the checks live in InflationCap, loaded on the first input: a model type named in this class
  // is loaded while Jazzer loads the target, before its instrumentation is set, and its nest
  // (CrashReport and its Builder) then fails the JVM's nestmate check
  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] data) throws Exception {
    FuzzInputs.expectOnlyUnreadable(() -> InflationCap.readAndCheck(data));
  }
}
