package org.ktriage.ingest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.ktriage.ingest.vmcoreinfo.VmcoreInfo;

/**
 * Any text given as VMCOREINFO (the note the kernel writes in crash_save_vmcoreinfo_init(),
 * kernel/vmcore_info.c): every accessor answers or says null, never throws. Seeds: the VMCOREINFO
 * of the real lab dumps.
 */
class VmcoreInfoFuzzer {
  private static final String[] KEYS = {
    "prb",
    "log_first_idx",
    "printk_ringbuffer.desc_ring",
    "prb_desc.state_var",
    "PAGESIZE",
    "KERNELOFFSET",
    "CRASHTIME",
    "OSRELEASE",
    "phys_base",
    "init_uts_ns",
    "kallsyms_names"
  };

  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] data) {
    VmcoreInfo info = VmcoreInfo.parse(new String(data, StandardCharsets.ISO_8859_1));
    info.osRelease();
    info.pageSize();
    info.kernelOffset();
    info.crashTime();
    for (String k : KEYS) {
      info.get(k);
      info.symbol(k);
      info.offset(k);
      info.size(k);
      info.length(k);
      info.number(k);
    }
  }
}
