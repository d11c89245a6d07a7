package org.ktriage.ingest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.ktriage.ingest.kallsyms.KallsymsTable;
import org.ktriage.ingest.vmcoreinfo.VmcoreInfo;

/**
 * A hostile VMCOREINFO over real kernel memory: the kallsyms tables (kernel/kallsyms.c:
 * kallsyms_names, token table and index, offsets, markers) are decoded from the addresses it gives;
 * a table or an unreadable-input exception comes out. Seeds: the real VMCOREINFO. The memory is the
 * real dump's with the real table cut after _stext ({@link RealDumpMemory#cutKallsyms}): the same
 * decoder paths at a hundredth of the cost per input.
 */
class KallsymsTableFuzzer {
  /** Opens the dump before the first input, whose time limit it would otherwise use up. */
  @BeforeAll
  static void openTheDump() throws Exception {
    RealDumpMemory.cutKallsyms();
  }

  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] data) throws Exception {
    VmcoreInfo info = VmcoreInfo.parse(new String(data, StandardCharsets.ISO_8859_1));
    var memory = RealDumpMemory.cutKallsyms();
    FuzzInputs.expectOnlyUnreadable(
        () -> {
          KallsymsTable t = KallsymsTable.load(info, memory);
          t.lookup(0xffffffff81000000L);
          t.size();
        });
  }
}
