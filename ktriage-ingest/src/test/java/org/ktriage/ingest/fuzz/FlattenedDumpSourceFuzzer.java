package org.ktriage.ingest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Any bytes given as a flattened kdump (makedumpfile -F: a stream of offset/size records): the dump
 * is opened and read as a report reads it (VMCOREINFO, notes, registers, memory, both printk rings,
 * kallsyms); only an unreadable-input exception may come out. Seeds: the first pages of the real
 * lab fixtures.
 */
class FlattenedDumpSourceFuzzer {
  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] data) throws Exception {
    FuzzInputs.readDump(List.of(new FuzzInputs.Bytes("fuzz.vmcore", data)));
  }
}
