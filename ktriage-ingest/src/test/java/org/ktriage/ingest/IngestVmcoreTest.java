package org.ktriage.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.ktriage.model.CpuState;
import org.ktriage.model.CrashReport;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.InputFormat;
import org.ktriage.model.Oops;
import org.ktriage.model.PanicInfo;

/** A real dump read through {@link Ingest} gives the same reports as the same crash's console. */
class IngestVmcoreTest {
  private static Path shared(String rel) {
    String base = System.getProperty("ktriage.shared");
    Path p = base == null ? null : Path.of(base).resolve(rel);
    if (p == null || !Files.isReadable(p)) {
      fail("missing shared file " + rel + " (ktriage.shared=" + base + ")");
    }
    return p;
  }

  @Test
  void kdumpCaptureMatchesItsConsoleLog() throws UnreadableInputException {
    CrashReport dump =
        Ingest.read(
            List.of(shared("lab/fixtures/timer-after-unload-kdump.vmcore")), Strictness.STRICT);
    CrashReport console =
        Ingest.read(
            List.of(shared("lab/out/timer-after-unload-kdump/console.log")), Strictness.LENIENT);
    assertThat(dump.sources().get(0).format()).isEqualTo(InputFormat.VMCORE_KDUMP);
    assertThat(dump.kernel().release()).isEqualTo("6.1.0-56-amd64");
    assertThat(dump.hasCrash()).isTrue();
    Oops first = dump.oopses().get(0);
    Oops consoleFirst = console.oopses().get(0);
    assertThat(first.headline()).isEqualTo(consoleFirst.headline());
    ExceptionFrame ip = Objects.requireNonNull(first.ip());
    ExceptionFrame consoleIp = Objects.requireNonNull(consoleFirst.ip());
    assertThat(ip.function()).isEqualTo(consoleIp.function()).isEqualTo("__run_timers");
    assertThat(dump.lastUnloaded()).isEqualTo(console.lastUnloaded());
    CpuState panic = dump.cpus().stream().filter(CpuState::panicCpu).findFirst().orElseThrow();
    // the oops prints no RIP value (0010:func+off/size); the dump's note has it, symbolized
    assertThat(panic.registers().get("RIP")).isNotNull();
    // the ORC unwind crosses the oops's pt_regs: a segment ends at the faulting instruction
    assertThat(panic.segments())
        .anyMatch(s -> s.exception() != null && s.exception().where().equals(ip.where()));
    assertThat(panic.segments().get(0).frames())
        .extracting(org.ktriage.model.Frame::function)
        .contains("oops_end", "page_fault_oops");
    // the dump's memory: module ranges, and the freed timer still on the wheel
    assertThat(dump.modules()).isNotEmpty().allMatch(m -> m.base() != null && m.size() != null);
    assertThat(dump.pendingCallbacks())
        .anyMatch(p -> p.kind().equals("timer") && !p.readable() && p.cpu() == panic.cpu());
    // the copy builders carry every part: a dump's report fills nearly all of them
    assertThat(dump.toBuilder().build()).isEqualTo(dump);
    assertThat(console.toBuilder().build()).isEqualTo(console);
    assertThat(dump.oopses()).allSatisfy(o -> assertThat(o.toBuilder().build()).isEqualTo(o));
  }

  @Test
  void qemuDumpIsReadThroughPageTables() throws UnreadableInputException {
    CrashReport dump =
        Ingest.read(
            List.of(shared("lab/fixtures/timer-after-unload-qemu.vmcore")), Strictness.LENIENT);
    assertThat(dump.sources().get(0).format()).isEqualTo(InputFormat.VMCORE_FLATTENED);
    assertThat(dump.oopses()).isNotEmpty();
    PanicInfo panic = Objects.requireNonNull(dump.panic());
    assertThat(panic.message()).isEqualTo("Fatal exception in interrupt");
    assertThat(dump.cpus()).hasSize(2);
  }
}
