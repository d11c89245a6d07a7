package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ktriage.analysis.Analyzer;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.model.CpuState;
import org.ktriage.model.CrashReport;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.Finding;
import org.ktriage.model.Frame;
import org.ktriage.model.LockWait;
import org.ktriage.model.PendingCallback;
import org.ktriage.model.StackSegment;
import org.tukaani.xz.XZInputStream;

/**
 * {@code analyze DUMP} as deep as the kernel-object layer allows, on real lab dumps, checked
 * against the references made beside them ({@code crash} with the debug vmlinux, console logs).
 */
class DumpAnalysisTest {
  private static final Analyzer ANALYZER = new Analyzer();

  private static Path repo(String rel) {
    return SeedCaseTest.existing(SeedCaseTest.root().resolve(rel));
  }

  private static Path shared(String rel) {
    return SeedCaseTest.existing(SeedCaseTest.shared().resolve(rel));
  }

  private static Diagnosis analyze(Path p) throws Exception {
    return ANALYZER.analyze(Ingest.read(List.of(p), Strictness.LENIENT));
  }

  private static Finding finding(Diagnosis d, String rule) {
    return d.findings().stream()
        .filter(f -> f.rule().equals(rule))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no finding " + rule + " in " + rules(d)));
  }

  private static List<String> rules(Diagnosis d) {
    return d.findings().stream().map(Finding::rule).toList();
  }

  private static String text(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.ISO_8859_1);
  }

  private static Matcher find(String regex, String text, String what) {
    Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
    if (!m.find()) {
      fail("reference has no " + what + " (/" + regex + "/)");
    }
    return m;
  }

  @Test
  void timerOfUnloadedModuleFromMemoryAloneOnASysrqDump() throws Exception {
    // crash's `timer` on this dump: the freed .bss timer is an invalid list entry, the leaked ctx
    // timer's function has no symbol ("<>")
    String timer = text(repo("lab/out/timer-pending-kdump/crash-trixie-timer.txt"));
    long bss =
        Long.parseUnsignedLong(find("invalid list entry: ([0-9a-f]+)", timer, "bad").group(1), 16);
    Matcher ctx =
        find("^\\s+(\\d+)\\s+-?\\d+\\s+([0-9a-f]{16})\\s+([0-9a-f]{16})\\s+<>$", timer, "ctx");
    long ctxExpires = Long.parseLong(ctx.group(1));
    long ctxTimer = Long.parseUnsignedLong(ctx.group(2), 16);
    long ctxFn = Long.parseUnsignedLong(ctx.group(3), 16);
    // the module's own console line gives the .bss timer's expiry
    String console = text(repo("lab/fixtures/timer-pending-kdump.dmesg.txt"));
    Matcher armed = find("armed \\.bss timer ([0-9a-f]+) .* expires (\\d+)", console, "armed");
    assertThat(Long.parseUnsignedLong(armed.group(1), 16)).isEqualTo(bss);
    long bssExpires = Long.parseLong(armed.group(2));

    Diagnosis d = analyze(repo("lab/fixtures/timer-pending-kdump.vmcore"));
    CrashReport r = d.report();
    assertThat(r.pendingCallbacks()).extracting(PendingCallback::object).contains(bss, ctxTimer);
    PendingCallback c =
        r.pendingCallbacks().stream().filter(p -> p.object() == ctxTimer).findFirst().orElseThrow();
    assertThat(c.function()).isEqualTo(ctxFn);
    assertThat(c.expires()).isEqualTo(ctxExpires);
    PendingCallback b =
        r.pendingCallbacks().stream().filter(p -> p.object() == bss).findFirst().orElseThrow();
    assertThat(b.readable()).isFalse();
    // unreadable timer: the expiry of its wheel bucket, at most one level-5 granule above its own
    assertThat(Objects.requireNonNull(b.expires()) - bssExpires).isBetween(0L, 1L << 15);

    // the panic CPU's trace reaches the sysrq handler (ORC where it unwinds, else the stack scan)
    CpuState panic = r.cpus().stream().filter(CpuState::panicCpu).findFirst().orElseThrow();
    assertThat(panic.segments().stream().flatMap(s -> s.frames().stream()).map(Frame::function))
        .contains("sysrq_handle_crash");

    // deliberate crash first, the latent timer after it
    assertThat(d.findings().get(0).rule()).isEqualTo("sysrq-crash");
    Finding t = finding(d, "timer-of-unloaded-module");
    assertThat(t.summary())
        .contains(String.format("%016x", bss))
        .contains(String.format("%016x", ctxTimer))
        .contains(Long.toString(ctxExpires))
        .contains("latent");
    assertThat(t.nextSteps()).contains("crash> timer", String.format("crash> rd %016x", bss));
    assertThat(t.nextSteps()).noneMatch(s -> s.contains("sysrq"));

    // the same crash's console log alone cannot show it
    Diagnosis fromConsole = analyze(repo("lab/out/timer-pending-kdump/console.log"));
    assertThat(rules(fromConsole)).doesNotContain("timer-of-unloaded-module");
  }

  @Test
  void hungTaskNamesTheMutexOwnerAndItsStack() throws Exception {
    // crash: `struct mutex` gives the owner word, `ps` the task at that address
    String mutex = text(repo("lab/out/hung-mutex-kdump/crash-trixie-mutex.txt"));
    long ownerWord = Long.parseLong(find("counter = (-?\\d+)", mutex, "owner").group(1));
    String owner = String.format("%x", ownerWord & ~7L);
    String ps = text(repo("lab/out/hung-mutex-kdump/crash-trixie-ps.txt"));
    Matcher row =
        find(
            "^>?\\s*(\\d+)\\s+\\d+\\s+\\d+\\s+"
                + owner
                + "\\s+\\S+\\s+\\S+\\s+\\d+\\s+\\d+\\s+(\\S+)",
            ps,
            "owner");
    int ownerPid = Integer.parseInt(row.group(1));
    String ownerComm = row.group(2).replaceAll("^\\[|\\]$", "");
    // crash `foreach UN bt`: the owner's frames
    String un = text(repo("lab/out/hung-mutex-kdump/crash-trixie-foreach-UN-bt.txt"));
    String block = un.substring(un.indexOf("PID: " + ownerPid + " "));
    List<String> crashFrames = new ArrayList<>();
    Matcher fm =
        Pattern.compile("^\\s*#\\d+ \\[[0-9a-f]+\\] (\\S+) at [0-9a-f]+$", Pattern.MULTILINE)
            .matcher(block);
    while (fm.find() && crashFrames.size() < 4) {
      crashFrames.add(fm.group(1));
    }
    assertThat(crashFrames).hasSize(4);

    Diagnosis d = analyze(repo("lab/fixtures/hung-mutex-kdump.vmcore"));
    LockWait w = d.report().lockWaits().get(0);
    assertThat(w.ownerPid()).isEqualTo(ownerPid);
    assertThat(w.ownerComm()).isEqualTo(ownerComm);
    List<String> ours = new ArrayList<>();
    for (StackSegment s : w.ownerStack()) {
      for (Frame f : s.frames()) {
        ours.add(f.function());
      }
    }
    assertThat(ours.subList(0, 4)).isEqualTo(crashFrames);
    Finding h = finding(d, "hung-task");
    assertThat(h.summary())
        .contains("held by " + ownerComm + " (pid " + ownerPid)
        .contains(crashFrames.get(3));
    assertThat(h.nextSteps()).contains("crash> bt " + ownerPid);
  }

  @Test
  void timerAfterUnloadDumpsAgreeWithTheirConsoleLogs() throws Exception {
    Path elf = Files.createTempFile("ktriage-tau-", ".elf");
    try {
      try (InputStream in =
              new XZInputStream(
                  new BufferedInputStream(
                      Files.newInputStream(
                          shared("lab/fixtures/timer-after-unload-kdump.elf.xz"))));
          OutputStream out = Files.newOutputStream(elf)) {
        in.transferTo(out);
      }
      Diagnosis kdumpConsole = analyze(shared("lab/out/timer-after-unload-kdump/console.log"));
      Diagnosis qemuConsole = analyze(shared("lab/out/timer-after-unload/console.log"));
      agree(analyze(shared("lab/fixtures/timer-after-unload-kdump.vmcore")), kdumpConsole);
      agree(analyze(elf), kdumpConsole);
      agree(analyze(shared("lab/fixtures/timer-after-unload-qemu.vmcore")), qemuConsole);
    } finally {
      Files.deleteIfExists(elf);
    }
  }

  @Test
  void truncatedDumpsStillGiveAReportOrOneLineError() throws Exception {
    Path dump = repo("lab/fixtures/hung-mutex-kdump.vmcore");
    long size = Files.size(dump);
    Path cut = Files.createTempFile("ktriage-cut-", ".vmcore");
    try {
      for (int tenth = 1; tenth <= 9; tenth += 2) {
        try (InputStream in = Files.newInputStream(dump);
            OutputStream out = Files.newOutputStream(cut)) {
          out.write(in.readNBytes((int) (size * tenth / 10)));
        }
        try {
          CrashReport r = Ingest.read(List.of(cut), Strictness.LENIENT);
          assertThat(r.completeness().partial()).as("cut at %d/10", tenth).isTrue();
          ANALYZER.analyze(r);
        } catch (org.ktriage.ingest.UnreadableInputException e) {
          assertThat(e.getMessage()).doesNotContain("\n");
        }
      }
    } finally {
      Files.deleteIfExists(cut);
    }
  }

  private static void agree(Diagnosis dump, Diagnosis console) {
    assertThat(dump.failureClass()).isEqualTo(console.failureClass());
    assertThat(Objects.requireNonNull(dump.primary()).function())
        .isEqualTo(Objects.requireNonNull(console.primary()).function());
    assertThat(rules(dump)).isEqualTo(rules(console));
    assertThat(dump.signature()).isNotNull().isEqualTo(console.signature());
    // the dump adds what the console cannot: module ranges, ORC stacks, the timer still queued
    assertThat(dump.report().modules()).isNotEmpty().allMatch(m -> m.base() != null);
    CpuState panic =
        dump.report().cpus().stream().filter(CpuState::panicCpu).findFirst().orElseThrow();
    assertThat(panic.segments())
        .anyMatch(s -> s.exception() != null && "__run_timers".equals(s.exception().function()));
    assertThat(finding(dump, "timer-of-unloaded-module").evidence())
        .anyMatch(e -> e.text().startsWith("still on the timer wheel"));
    // the fault address as the dump's memory tells it (crash's kmem): module area that no loaded
    // module covers, cited with the address the console printed; the console alone cannot
    long fault = Objects.requireNonNull(console.report().oopses().get(0).faultAddress());
    assertThat(dump.report().addressFacts())
        .anyMatch(a -> a.address() == fault && a.kind().equals("freed-module-area"));
    assertThat(finding(dump, "timer-of-unloaded-module").evidence())
        .anyMatch(e -> e.text().equals(String.format("kmem %016x: ", fault) + FREED));
    assertThat(finding(console, "timer-of-unloaded-module").evidence())
        .noneMatch(e -> e.text().startsWith("kmem "));
  }

  /** KernelAddresses' words for module-area memory no loaded module covers. */
  private static final String FREED =
      "module area, in no loaded module: memory of an unloaded module (or never mapped)";
}
