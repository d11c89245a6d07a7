package org.ktriage.ingest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.ktriage.ingest.kdump.PageCompression;

/**
 * Any bytes given as one compressed kdump page (zlib, LZO, snappy, zstd: the first byte picks the
 * method): decompression gives a length in the page or -1, never an exception.
 */
class PageCompressionFuzzer {
  private static final PageCompression[] METHODS = PageCompression.values();

  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] data) {
    if (data.length < 1) {
      return;
    }
    PageCompression method = METHODS[(data[0] & 0xff) % METHODS.length];
    byte[] in = java.util.Arrays.copyOfRange(data, 1, data.length);
    byte[] page = new byte[4096];
    int n = method.decompress(in, in.length, page);
    if (n < -1 || n > page.length) {
      throw new AssertionError(method + " gave length " + n);
    }
  }
}
