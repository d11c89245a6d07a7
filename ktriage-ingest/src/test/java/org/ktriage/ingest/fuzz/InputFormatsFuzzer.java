package org.ktriage.ingest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.ingest.input.Inputs;

/**
 * Any bytes on standard input, through ingest's front door: the input registry ({@code
 * InputFormats}) recognises them by their first bytes, unwraps compressed containers (gzip, xz,
 * zstd, bzip2, lz4, lzop, nested at most twice, each inflating at most {@code
 * ReadLimits.INFLATED_BYTES}), and hands the content to the text reader or, spooled, to the dump
 * readers. A report (whole or PARTIAL) or an unreadable-input exception comes out. Seeds: a real
 * kernel log and the head of the real kdump, each in every container, and a log compressed twice.
 */
class InputFormatsFuzzer {
  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] data) throws Exception {
    FuzzInputs.expectOnlyUnreadable(
        () ->
            Ingest.read(
                List.of(Path.of(Inputs.STDIN)),
                Strictness.LENIENT,
                new ByteArrayInputStream(data)));
  }
}
