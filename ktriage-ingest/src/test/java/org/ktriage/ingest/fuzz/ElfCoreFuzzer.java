package org.ktriage.ingest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Any bytes given as an ELF core (/proc/vmcore as saved by cp or kdump, or a QEMU dump-guest-memory
 * ELF): the dump is opened and read as a report reads it (VMCOREINFO, notes, registers, memory,
 * both printk rings, kallsyms); only an unreadable-input exception may come out. Seeds: the first
 * pages of the real lab fixtures.
 */
class ElfCoreFuzzer {
  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] data) throws Exception {
    FuzzInputs.readDump(List.of(new FuzzInputs.Bytes("fuzz.vmcore", data)));
  }
}
