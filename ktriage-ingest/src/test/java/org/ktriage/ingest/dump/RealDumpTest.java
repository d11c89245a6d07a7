package org.ktriage.ingest.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ktriage.model.CpuState;
import org.ktriage.model.Frame;
import org.ktriage.model.InputFormat;
import org.ktriage.model.StackSegment;

/** The three real dumps of the lab (and makedumpfile variants of one) against reference logs. */
class RealDumpTest {
  private static byte[] dmesg(List<Path> files) throws IOException {
    try (Vmcore v = Vmcore.open(files)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      v.writeDmesg(out);
      return out.toByteArray();
    }
  }

  private static void assertSameBytes(byte[] actual, Path reference) throws IOException {
    String exp = Files.readString(reference, StandardCharsets.ISO_8859_1);
    assertThat(new String(actual, StandardCharsets.ISO_8859_1)).isEqualTo(exp);
  }

  @Test
  void kdumpCompressedDmesgIsByteIdenticalToMakedumpfile() throws IOException {
    assertSameBytes(dmesg(List.of(Fixtures.kdumpVmcore())), Fixtures.kdumpDmesg());
  }

  @Test
  void filteredElfDmesgIsByteIdenticalToMakedumpfile() throws IOException {
    assertSameBytes(dmesg(List.of(Fixtures.kdumpElf())), Fixtures.kdumpDmesg());
  }

  @Test
  void lzoVariantFromMakedumpfile() throws IOException {
    assertSameBytes(dmesg(List.of(Fixtures.generated("kdump-lzo.vmcore"))), Fixtures.kdumpDmesg());
  }

  @Test
  void flattenedVariantFromMakedumpfile() throws IOException {
    Path f = Fixtures.generated("kdump-flat.vmcore");
    assertSameBytes(dmesg(List.of(f)), Fixtures.kdumpDmesg());
    try (Vmcore v = Vmcore.open(f)) {
      assertThat(v.format()).isEqualTo(InputFormat.VMCORE_FLATTENED);
    }
  }

  @Test
  void splitSetFromMakedumpfileInAnyOrder() throws IOException {
    Path a = Fixtures.generated("kdump-split.1");
    Path b = Fixtures.generated("kdump-split.2");
    Path c = Fixtures.generated("kdump-split.3");
    assertSameBytes(dmesg(List.of(c, a, b)), Fixtures.kdumpDmesg());
  }

  @Test
  void qemuFlattenedPhysicalOnlyDumpMatchesCrashLog() throws IOException {
    byte[] out = dmesg(List.of(Fixtures.qemuVmcore()));
    List<String> ours =
        new String(out, StandardCharsets.UTF_8).lines().collect(Collectors.toList());
    List<String> crash = Files.readAllLines(Fixtures.qemuCrashLog(), StandardCharsets.UTF_8);
    assertThat(ours).hasSize(crash.size()).isEqualTo(crash);
  }

  @Test
  void kdumpPanicCpuHasOopsRegistersAndSymbolizedStack() throws IOException {
    for (Path p : List.of(Fixtures.kdumpVmcore(), Fixtures.kdumpElf())) {
      DumpContents c = VmcoreReader.lenient().read(List.of(p));
      assertThat(c.kernel().release()).isEqualTo("6.1.0-56-amd64");
      assertThat(c.kernel().arch()).isEqualTo("x86_64");
      assertThat(c.kernel().layout().kernelOffset()).isNotNull();
      assertThat(c.completeness().partial()).as(c.completeness().problems().toString()).isFalse();
      CpuState panic = c.cpus().stream().filter(CpuState::panicCpu).findFirst().orElseThrow();
      assertThat(panic.cpu()).isEqualTo(1);
      // the oops registers: CR2 in the log is the faulting address; RIP is in __run_timers
      Frame rip = panic.segments().get(0).frames().get(0);
      assertThat(rip.function()).isEqualTo("__run_timers");
      assertThat(rip.offset()).isEqualTo("0xd3");
      assertThat(rip.reliable()).isTrue();
      assertThat(panic.registers().get("RIP")).isEqualTo(rip.address());
      assertThat(panic.segments().get(0).marker()).isEqualTo("IRQ");
      assertThat(functions(panic.segments().get(0)))
          .contains("run_timer_softirq", "handle_softirqs", "sysvec_apic_timer_interrupt");
      assertThat(functions(panic.segments().get(1))).contains("asm_sysvec_apic_timer_interrupt");
      String log = c.log().stream().map(r -> r.text()).collect(Collectors.joining("\n"));
      assertThat(log).contains("RIP: 0010:__run_timers+0xd3/0x2c0");
    }
  }

  @Test
  void qemuPanicCpuFromPanicCpuVariable() throws IOException {
    DumpContents c = VmcoreReader.lenient().read(List.of(Fixtures.qemuVmcore()));
    assertThat(c.format()).isEqualTo(InputFormat.VMCORE_FLATTENED);
    CpuState panic = c.cpus().stream().filter(CpuState::panicCpu).findFirst().orElseThrow();
    assertThat(panic.cpu()).isEqualTo(0);
    assertThat(panic.registers().get("CR3")).isNotNull();
    List<String> all =
        panic.segments().stream().flatMap(s -> functions(s).stream()).collect(Collectors.toList());
    // crash bt -a on this dump: panic, oops_end, page_fault_oops, exc_page_fault, __run_timers
    assertThat(all)
        .containsSubsequence("panic", "oops_end.cold", "page_fault_oops", "__run_timers");
    CpuState other = c.cpus().stream().filter(x -> !x.panicCpu()).findFirst().orElseThrow();
    assertThat(other.segments().get(0).frames().get(0).function()).isEqualTo("stop_this_cpu");
  }

  private static List<String> functions(StackSegment s) {
    return s.frames().stream().map(Frame::function).collect(Collectors.toList());
  }
}
