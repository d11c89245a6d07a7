package org.ktriage.ingest.fuzz;

import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.dump.Vmcore;
import org.ktriage.ingest.mm.KernelMemory;

/**
 * The memory of the real lab kdump fixture, opened once per JVM: the fuzz targets that take a
 * hostile VMCOREINFO read real kernel memory with it, so the offsets and sizes they are given index
 * real rings and tables.
 */
final class RealDumpMemory {
  private static @Nullable Vmcore vmcore;

  private RealDumpMemory() {}

  static synchronized Vmcore vmcore() throws IOException {
    Vmcore v = vmcore;
    if (v == null) {
      v = Vmcore.open(FuzzInputs.shared("lab/fixtures/timer-after-unload-kdump.vmcore"));
      vmcore = v;
    }
    return v;
  }

  static KernelMemory memory() throws IOException {
    return vmcore().kernelMemory();
  }
}
