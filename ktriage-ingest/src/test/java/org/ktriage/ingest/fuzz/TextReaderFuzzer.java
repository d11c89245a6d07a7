package org.ktriage.ingest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import org.ktriage.ingest.text.TextReader;

/**
 * Any bytes given as a kernel log in any text dress (console, dmesg, journalctl, syslog, pasted
 * reports): the text reader finds its reports or none; only an unreadable-input exception may come
 * out. Seeds: heads of real logs from the shared corpus.
 */
class TextReaderFuzzer {
  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] data) throws Exception {
    FuzzInputs.expectOnlyUnreadable(
        () -> TextReader.read(new ByteArrayInputStream(data), "fuzz.log"));
  }
}
