package org.ktriage.ingest.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The crash-styled views of the real lab dumps, line by line against crash where they overlap. */
class DumpViewsTest {
  private static final Pattern FRAME =
      Pattern.compile("\\[([0-9a-f]{16})\\] (\\S+) at ([0-9a-f]{16})");

  @Test
  void kdumpViewsAgreeWithCrash() throws Exception {
    try (DumpViews views = DumpViews.open(LabDumps.shared(LabDumpKernelTest.KDUMP.dump()))) {
      String out = LabDumpKernelTest.KDUMP.out();
      assertThat(views.mod()).isEqualTo(LabDumps.lines(out + "crash-trixie-mod.txt"));
      List<String> bt = views.bt(null);
      List<String> crash = LabDumps.lines(out + "crash-trixie-bt-a.txt");
      assertThat(exceptionBlocks(bt)).isEqualTo(exceptionBlocks(crash));
      Set<String> mine = frames(bt);
      Set<String> theirs = frames(crash);
      Set<String> missing = new LinkedHashSet<>(theirs);
      missing.removeAll(mine);
      System.out.printf(
          "bt -a frames (stack slot, function, address): crash %d, equal in ktriage %d, differing %s%n",
          theirs.size(), theirs.size() - missing.size(), missing);
      // crash shows the interrupted function again below an NMI exception block, and labels the
      // entry frame after an IRQ-stack switch with the pt_regs address; every other frame agrees.
      assertThat(theirs).hasSize(31);
      assertThat(missing)
          .extracting(f -> f.split(" ")[1])
          .containsExactly("native_safe_halt", "asm_sysvec_apic_timer_interrupt");
    }
  }

  @Test
  void rawMemoryStructAndSymbolViews() throws Exception {
    try (DumpViews views = DumpViews.open(LabDumps.shared(LabDumpKernelTest.QEMU.dump()))) {
      long initTask = views.kernel().symbol("init_task", "test");
      assertThat(views.sym(initTask + 8).get(0)).endsWith(" init_task+8");
      List<String> s = views.struct("task_struct", initTask);
      assertThat(s).contains("  comm = \"swapper/0\",", "  pid = 0,");
      assertThat(views.rd(initTask, 3)).hasSize(2);
      assertThatThrownBy(() -> views.rd(0xffffffffc02853c0L, 1))
          .hasMessageStartingWith("rd: invalid kernel virtual address: ffffffffc02853c0");
      List<String> timers = views.timer();
      assertThat(timers.stream().filter(l -> l.contains("ORPHANED")).toList())
          .singleElement()
          .satisfies(l -> assertThat(l).contains("ffffffffc02853c0").contains("(unreadable)"));
      assertThat(views.bt(104)).first().asString().contains("COMMAND: \"sleep\"");
    }
  }

  @Test
  void modelStacksSplitAtExceptionFramesWithTheirContexts() throws Exception {
    try (DumpViews views = DumpViews.open(LabDumps.shared(LabDumpKernelTest.KDUMP.dump()))) {
      List<org.ktriage.model.CpuState> cpus = views.cpuStates();
      assertThat(cpus).hasSize(2);
      org.ktriage.model.CpuState nmi = cpus.get(0);
      assertThat(nmi.segments())
          .extracting(org.ktriage.model.StackSegment::context)
          .containsExactly(org.ktriage.model.ContextKind.NMI, org.ktriage.model.ContextKind.TASK);
      org.ktriage.model.CpuState panic = cpus.get(1);
      assertThat(panic.panicCpu()).isTrue();
      assertThat(panic.comm()).isEqualTo("swapper/1");
      assertThat(panic.segments())
          .extracting(org.ktriage.model.StackSegment::context)
          .containsExactly(
              org.ktriage.model.ContextKind.EXCEPTION,
              org.ktriage.model.ContextKind.SOFTIRQ,
              org.ktriage.model.ContextKind.TASK);
      org.ktriage.model.ExceptionFrame fault =
          java.util.Objects.requireNonNull(panic.segments().get(0).exception());
      assertThat(fault.where()).isEqualTo("__run_timers+0xd3");
      assertThat(fault.registers().get("RCX")).isEqualTo(0xffffffffc04243c0L);
      assertThat(panic.segments().get(0).frames().get(0).function()).isEqualTo("machine_kexec");
      assertThat(panic.segments().get(1).frames().get(0).function()).isEqualTo("run_timer_softirq");
      assertThat(panic.segments().get(1).marker()).isEqualTo("IRQ");
      assertThat(nmi.segments().get(0).marker()).isEqualTo("NMI");
    }
  }

  private static Set<String> frames(List<String> lines) {
    Set<String> out = new LinkedHashSet<>();
    for (String l : lines) {
      Matcher m = FRAME.matcher(l);
      if (l.trim().startsWith("#") && m.find()) {
        out.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
      }
    }
    return out;
  }

  /** Each "[exception RIP: ...]" line with the register lines under it. */
  private static List<String> exceptionBlocks(List<String> lines) {
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String l : lines) {
      if (l.contains("[exception RIP:")) {
        in = true;
        out.add(l);
      } else if (in && l.startsWith("    ") && l.contains(": ")) {
        out.add(l);
      } else {
        in = false;
      }
    }
    return out;
  }
}
