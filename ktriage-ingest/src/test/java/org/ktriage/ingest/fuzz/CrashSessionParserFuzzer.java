package org.ktriage.ingest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import org.ktriage.ingest.text.TextReader;

/**
 * Any bytes given as a pasted {@code crash} session ({@code sys}, {@code bt -a}, {@code log},
 * {@code mod}, {@code ps} output), read the way the CLI reads it, through the text reader that
 * feeds {@code CrashSessionParser}. Seeds: slices of a real crash session from the lab.
 */
class CrashSessionParserFuzzer {
  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] data) throws Exception {
    FuzzInputs.expectOnlyUnreadable(
        () -> TextReader.read(new ByteArrayInputStream(data), "fuzz.crash-session"));
  }
}
