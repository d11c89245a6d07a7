package org.ktriage.ingest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.ktriage.ingest.kallsyms.KallsymsTable;
import org.ktriage.ingest.vmcoreinfo.VmcoreInfo;

/**
 * A hostile VMCOREINFO over real kernel memory: the kallsyms tables (kernel/kallsyms.c:
 * kallsyms_names, token table and index, offsets, markers) are decoded from the addresses it gives;
 * a table or an unreadable-input exception comes out. Seeds: the real VMCOREINFO.
 */
class KallsymsTableFuzzer {
  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] data) throws Exception {
    VmcoreInfo info = VmcoreInfo.parse(new String(data, StandardCharsets.ISO_8859_1));
    var memory = RealDumpMemory.memory();
    FuzzInputs.expectOnlyUnreadable(
        () -> {
          KallsymsTable t = KallsymsTable.load(info, memory);
          t.lookup(0xffffffff81000000L);
          t.size();
        });
  }
}
