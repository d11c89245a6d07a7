package org.ktriage.ingest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.ktriage.ingest.printk.PrintkReader;
import org.ktriage.ingest.vmcoreinfo.VmcoreInfo;

/**
 * A hostile VMCOREINFO over real kernel memory: the printk reader follows whichever ring it names
 * (the lockless ring of kernel/printk/printk_ringbuffer.c when SYMBOL(prb) is there, the structured
 * log_buf of 3.5-5.9 when SYMBOL(log_first_idx) is) with the OFFSET/SIZE values it is given; it
 * reads a log, reports problems, or throws an unreadable-input exception. Seeds: the real
 * VMCOREINFO, and one rewritten to name the structured ring.
 */
class PrintkReaderFuzzer {
  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] data) throws Exception {
    VmcoreInfo info = VmcoreInfo.parse(new String(data, StandardCharsets.ISO_8859_1));
    var memory = RealDumpMemory.memory();
    FuzzInputs.expectOnlyUnreadable(() -> new PrintkReader(info, memory).read());
  }
}
