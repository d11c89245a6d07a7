package org.ktriage.ingest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import org.ktriage.ingest.bin.DumpSource;

/**
 * Any bytes given as the parts of a split kdump (makedumpfile --split): the input is cut into parts
 * at the lengths its first bytes give (one byte count, then a 4-byte little-endian length per part
 * but the last), and the parts are read as one dump. Seeds: the first pages of each part of a real
 * split set.
 */
class SplitKdumpMemoryFuzzer {
  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] data) throws Exception {
    if (data.length < 1) {
      return;
    }
    int parts = 1 + (data[0] & 3);
    int at = 1 + 4 * (parts - 1);
    if (data.length < at) {
      return;
    }
    List<DumpSource> sources = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      int len;
      if (i == parts - 1) {
        len = data.length - at;
      } else {
        int p = 1 + 4 * i;
        len =
            (data[p] & 0xff)
                | (data[p + 1] & 0xff) << 8
                | (data[p + 2] & 0xff) << 16
                | (data[p + 3] & 0x7f) << 24;
        len = Math.min(len, data.length - at);
      }
      sources.add(new FuzzInputs.Bytes("fuzz.split." + (i + 1), data, at, at + len));
      at += len;
    }
    FuzzInputs.readDump(sources);
  }
}
