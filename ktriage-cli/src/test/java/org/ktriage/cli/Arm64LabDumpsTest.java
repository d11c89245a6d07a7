package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ktriage.analysis.Analyzer;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.ingest.dump.KernelImage;
import org.ktriage.ingest.dump.Vmcore;
import org.ktriage.ingest.kallsyms.KallsymsScanner;
import org.ktriage.ingest.kallsyms.KallsymsTable;
import org.ktriage.ingest.vmcoreinfo.VmcoreInfo;
import org.ktriage.model.CpuState;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Frame;
import org.ktriage.model.LogRecord;
import org.ktriage.model.StackSegment;

/**
 * arm64 dumps of Debian's stock 6.1 arm64 kernel made by {@code lab-arm64/make-arm64-dumps.sh}
 * (QEMU TCG, the shared lab's bug modules cross-built for arm64, QMP {@code dump-guest-memory}):
 * the dump and the console log of the same run give the same class, title, culprit and signature.
 * One dump is committed ({@code lab-arm64/fixtures/timer-after-unload.vmcore.elf.xz}, a QEMU ELF
 * dump of a 128 MiB guest, xz); the others run where the script left them ({@code
 * ktriage.arm64Lab}, default {@code /var/tmp/ktriage-arm64}, as {@code <scenario>/vmcore}), with
 * the console log the script copied to {@code lab-arm64/out/<scenario>/console.log}.
 */
class Arm64LabDumpsTest {
  private static final Analyzer ANALYZER = new Analyzer();

  /** The console's "Kernel Offset: 0x… from 0xffff800008000000" (arm64 dump_kernel_offset). */
  private static final Pattern KERNEL_OFFSET =
      Pattern.compile("Kernel Offset: 0x([0-9a-f]+) from 0x([0-9a-f]+)");

  private static Diagnosis analyze(Path p) throws Exception {
    return ANALYZER.analyze(Ingest.read(List.of(p), Strictness.LENIENT));
  }

  private static Path console(String scenario) {
    return SeedCaseTest.root().resolve("lab-arm64/out").resolve(scenario).resolve("console.log");
  }

  private static void sameDiagnosis(Diagnosis fromDump, Diagnosis fromConsole, String what) {
    assertThat(fromDump.crashFound()).as(what).isTrue();
    assertThat(fromDump.failureClass()).as(what).isEqualTo(fromConsole.failureClass());
    assertThat(fromDump.title()).as(what).isEqualTo(fromConsole.title());
    assertThat(Objects.requireNonNull(fromDump.primary(), what).function())
        .as(what)
        .isEqualTo(Objects.requireNonNull(fromConsole.primary(), what).function());
    assertThat(fromDump.signature()).as(what).isNotNull().isEqualTo(fromConsole.signature());
  }

  private static List<Frame> frames(CpuState c) {
    List<Frame> out = new ArrayList<>();
    for (StackSegment s : c.segments()) {
      out.addAll(s.frames());
    }
    return out;
  }

  @Test
  void committedTimerAfterUnloadDumpReadsLikeItsConsole() throws Exception {
    Path dump = SeedCaseTest.root().resolve("lab-arm64/fixtures/timer-after-unload.vmcore.elf.xz");
    assertThat(dump).isReadable();
    String console = Files.readString(console("timer-after-unload"), StandardCharsets.ISO_8859_1);
    Diagnosis fromDump = analyze(dump);
    Diagnosis fromConsole = analyze(console("timer-after-unload"));
    sameDiagnosis(fromDump, fromConsole, "timer-after-unload");
    assertThat(fromDump.failureClass()).isEqualTo(FailureClass.PAGE_FAULT);
    assertThat(Objects.requireNonNull(fromDump.primary()).function()).isEqualTo("__run_timers");

    // translation with KASLR: the kernel log read through the printk ring (4K pages, 48-bit VA,
    // kimage_voffset and PHYS_OFFSET from VMCOREINFO) holds the console's oops lines
    var report = fromDump.report();
    assertThat(report.kernel().arch()).isEqualTo("arm64");
    assertThat(report.kernel().release()).isEqualTo("6.1.0-57-arm64");
    List<String> log = new ArrayList<>();
    for (LogRecord r : report.log()) {
      log.add(r.text());
    }
    Matcher fault =
        Pattern.compile("Unable to handle kernel paging request at virtual address [0-9a-f]{16}")
            .matcher(console);
    assertThat(fault.find()).isTrue();
    assertThat(log).anyMatch(l -> l.contains(fault.group()));
    assertThat(log).anyMatch(l -> l.startsWith("lab_timer_uaf: unloading WITHOUT del_timer_sync"));
    // the KASLR offset the console printed is VMCOREINFO's KERNELOFFSET
    Matcher off = KERNEL_OFFSET.matcher(console);
    assertThat(off.find()).isTrue();
    assertThat(report.kernel().layout().kernelOffset())
        .isEqualTo(Long.parseUnsignedLong(off.group(1), 16));
    // the module list at the crash: the console's "[last unloaded: lab_timer_uaf(OE)]"
    assertThat(report.modules()).noneMatch(m -> m.name().equals("lab_timer_uaf"));

    // registers from the notes, and frame records unwound across the exception frame: QEMU
    // stopped the panicking CPU in panic()'s delay loop; its chain runs from there up through
    // the data abort (el1h_64_sync) into the interrupted __run_timers and the softirq below it
    assertThat(report.cpus()).hasSize(2);
    boolean crossed = false;
    for (CpuState c : report.cpus()) {
      assertThat(c.registers().get("PC")).isNotNull();
      assertThat(c.registers().get("SP")).isNotNull();
      List<String> names = new ArrayList<>();
      for (Frame f : frames(c)) {
        names.add(f.function());
      }
      int panic = names.indexOf("panic");
      int runTimers = names.indexOf("__run_timers");
      if (panic >= 0 && runTimers > panic) {
        crossed = true;
        assertThat(names.subList(panic, runTimers)).contains("el1h_64_sync");
        assertThat(names.subList(runTimers, names.size())).contains("run_timer_softirq");
      }
    }
    assertThat(crossed).as("a CPU stack from panic through the abort into __run_timers").isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "null-deref",
        "bug-on",
        "timer-after-unload",
        "soft-lockup",
        "use-after-free",
        "panic-call",
        "sysrq-crash",
        "oom-panic"
      })
  void labDumpReadsLikeItsConsole(String scenario) throws Exception {
    Path dump =
        Path.of(System.getProperty("ktriage.arm64Lab", "/var/tmp/ktriage-arm64"), scenario)
            .resolve("vmcore");
    assumeTrue(
        Files.isReadable(dump), () -> dump + " not here (made by lab-arm64/make-arm64-dumps.sh)");
    // the console log must be the one of the same run: its KASLR offset is the dump's
    String console = Files.readString(console(scenario), StandardCharsets.ISO_8859_1);
    Diagnosis fromDump = analyze(dump);
    Matcher off = KERNEL_OFFSET.matcher(console);
    assertThat(off.find()).isTrue();
    assumeTrue(
        Objects.equals(
            fromDump.report().kernel().layout().kernelOffset(),
            Long.parseUnsignedLong(off.group(1), 16)),
        () -> dump + " is not of the run of " + console(scenario));
    sameDiagnosis(fromDump, analyze(console(scenario)), scenario);
  }

  /**
   * Kernels before 6.0 put no kallsyms in VMCOREINFO; on arm64 the tables are then found by their
   * structure in the kernel image (base-relative offsets, the relative base relocated with {@code
   * _text} as arm64 links it). With the note ignored, the symbols are the note's: on the committed
   * ELF dump scanned from VMCOREINFO's {@code _stext} (the path {@code kallsyms()} takes), and on
   * the lab's kdump-compressed null-deref of another boot (another KASLR offset) with {@code
   * _stext} and {@code MODULES_END} struck from VMCOREINFO too, as kernels before v5.19 export
   * neither: the image start is then {@code KIMAGE_VADDR} slid by {@code KERNELOFFSET}, the era's
   * value the page tables map as the kernel image. One scan per dump.
   */
  @ParameterizedTest
  @ValueSource(strings = {"committed", "null-deref"})
  void tablesFoundInTheImageAreTheNotes(String which, @TempDir Path tmp) throws Exception {
    boolean committed = which.equals("committed");
    Path dump;
    if (committed) {
      dump = tmp.resolve("vmcore.elf");
      try (java.io.InputStream in =
              new org.tukaani.xz.XZInputStream(
                  new java.io.BufferedInputStream(
                      Files.newInputStream(
                          SeedCaseTest.root()
                              .resolve("lab-arm64/fixtures/timer-after-unload.vmcore.elf.xz"))));
          java.io.OutputStream out = Files.newOutputStream(dump)) {
        in.transferTo(out);
      }
    } else {
      dump =
          Path.of(System.getProperty("ktriage.arm64Lab", "/var/tmp/ktriage-arm64"), which)
              .resolve("vmcore");
      assumeTrue(
          Files.isReadable(dump), () -> dump + " not here (made by lab-arm64/make-arm64-dumps.sh)");
    }
    try (Vmcore v = Vmcore.open(dump)) {
      assertThat(v.arch()).isEqualTo("arm64");
      VmcoreInfo vi = Objects.requireNonNull(v.vmcoreinfo());
      KallsymsTable note = v.kallsyms();
      assertThat(note.size()).isGreaterThan(50_000);
      KallsymsTable scanned;
      if (committed) {
        scanned = v.kallsymsFromImage();
      } else {
        StringBuilder older = new StringBuilder();
        for (String line : vi.raw().split("\n", -1)) {
          if (!line.startsWith("SYMBOL(kallsyms_")
              && !line.startsWith("SYMBOL(_stext)")
              && !line.startsWith("NUMBER(MODULES_END)")) {
            older.append(line).append('\n');
          }
        }
        List<Long> starts =
            KernelImage.scanStarts("arm64", VmcoreInfo.parse(older.toString()), v.kernelMemory());
        // the truth, from the full VMCOREINFO: KIMAGE_VADDR (= MODULES_END) + kaslr_offset()
        assertThat(starts)
            .containsExactly(
                Objects.requireNonNull(vi.number("MODULES_END"))
                    + Objects.requireNonNull(vi.kernelOffset()));
        scanned = KallsymsScanner.scan(v.kernelMemory(), starts.get(0), null);
      }
      assertThat(scanned).isNotNull();
      assertThat(Objects.requireNonNull(scanned).symbols()).isEqualTo(note.symbols());
    }
  }

  private static String dumpView(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "dump";
    System.arraycopy(args, 0, all, 1, args.length);
    Run r = Run.of(all);
    assertThat(r.exitCode()).as("ktriage %s: %s", String.join(" ", all), r.err()).isZero();
    return r.out();
  }

  /** Debian's arm64 System.map (nm -n of the -dbg package's vmlinux), committed xz-compressed. */
  private static Path arm64SystemMap() {
    return SeedCaseTest.root().resolve("lab-arm64/fixtures/System.map-6.1.0-57-arm64.xz");
  }

  /** The registers an arm64 oops printed ({@code __show_regs}: "x3 : ffff…", "sp : ffff…"). */
  private static java.util.Map<String, Long> consoleRegisters(String console) {
    java.util.Map<String, Long> out = new java.util.HashMap<>();
    Matcher m = Pattern.compile("\\b(x\\d+|sp) ?: ([0-9a-f]{16})\\b").matcher(console);
    while (m.find()) {
      out.putIfAbsent(
          m.group(1).toUpperCase(java.util.Locale.ROOT), Long.parseUnsignedLong(m.group(2), 16));
    }
    return out;
  }

  /**
   * {@code dump bt} on arm64 walks frame records (no ORC there): the panicking CPU from panic()
   * through the data abort's pt_regs (whose registers are the ones the oops printed) into
   * __run_timers, the softirq on the IRQ stack and the idle task's stack below it; a sleeping task
   * from the context cpu_switch_to saved. Debian's arm64 kernel has no CONFIG_KALLSYMS_ALL, so
   * tasks and BTF come through the committed System.map.
   */
  @Test
  void committedDumpBtWalksFrameRecordsAcrossExceptionAndIrqStacks() throws Exception {
    Path dump = SeedCaseTest.root().resolve("lab-arm64/fixtures/timer-after-unload.vmcore.elf.xz");
    String map = arm64SystemMap().toString();
    List<String> bt =
        List.of(dumpView("--system-map", map, dump.toString(), "bt", "-a").split("\n"));
    List<String> order =
        List.of(
            " panic at ",
            " el1h_64_sync at ",
            " __run_timers at ",
            "     PC: ",
            " run_timer_softirq at ",
            "--- <IRQ stack> ---",
            " el1h_64_irq at ",
            " do_idle at ");
    int at = 0;
    int regs = -1;
    for (String want : order) {
      int found = -1;
      for (int i = at; i < bt.size(); i++) {
        if (bt.get(i).contains(want)) {
          found = i;
          break;
        }
      }
      assertThat(found)
          .as("'%s' after line %d of%n%s", want, at, String.join("\n", bt))
          .isNotNegative();
      if (want.startsWith("     PC")) {
        regs = found;
      }
      at = found + 1;
    }
    // the pt_regs the abort saved hold what the oops printed: x29..x0 and sp
    java.util.Map<String, Long> printed =
        consoleRegisters(
            Files.readString(console("timer-after-unload"), StandardCharsets.ISO_8859_1));
    assertThat(printed).containsKeys("X3", "X29", "SP");
    java.util.Map<String, Long> saved = new java.util.HashMap<>();
    Matcher m =
        Pattern.compile("(X\\d+|SP): ([0-9a-f]{16})")
            .matcher(String.join("\n", bt.subList(regs, regs + 14)));
    while (m.find()) {
      saved.putIfAbsent(m.group(1), Long.parseUnsignedLong(m.group(2), 16));
    }
    assertThat(saved).hasSize(31).containsAllEntriesOf(printed);

    // init (pid 1) sleeps in wait4: __switch_to, __schedule, do_wait, down to its syscall entry
    String init = dumpView("--system-map", map, dump.toString(), "bt", "1");
    assertThat(init).startsWith("PID: 1 ").contains(" __schedule at ", " do_wait at ");
    assertThat(init.lines().reduce((a, b) -> b).orElse("")).contains(" el0t_64_sync at ");
  }

  /**
   * A module function on the crash path is {@code func+off [mod]} in the analysis's stacks and in
   * {@code dump bt}, read from the module's own symbol table ({@code struct module}'s kallsyms);
   * the lab's arm64 null-deref faults in lab_null_deref_touch, as its console's {@code pc :} line
   * says.
   */
  @Test
  void moduleFramesAreNamedFromTheModulesSymbols() throws Exception {
    Path dump =
        Path.of(System.getProperty("ktriage.arm64Lab", "/var/tmp/ktriage-arm64"), "null-deref")
            .resolve("vmcore");
    assumeTrue(
        Files.isReadable(dump), () -> dump + " not here (made by lab-arm64/make-arm64-dumps.sh)");
    String console = Files.readString(console("null-deref"), StandardCharsets.ISO_8859_1);
    Matcher pc =
        Pattern.compile("pc : (\\w+)\\+(0x[0-9a-f]+)/0x[0-9a-f]+ \\[(\\w+)\\]").matcher(console);
    assertThat(pc.find()).isTrue();
    Path map = Files.createTempFile("ktriage-arm64-map-", ".xz");
    try {
      Files.copy(arm64SystemMap(), map, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Diagnosis d =
          ANALYZER.analyze(
              Ingest.read(
                  List.of(dump), Strictness.LENIENT, java.io.InputStream.nullInputStream(), map));
      Matcher off = KERNEL_OFFSET.matcher(console);
      assertThat(off.find()).isTrue();
      assumeTrue(
          Objects.equals(
              d.report().kernel().layout().kernelOffset(),
              Long.parseUnsignedLong(off.group(1), 16)),
          () -> dump + " is not of the run of " + console("null-deref"));
      boolean named = false;
      for (CpuState c : d.report().cpus()) {
        for (Frame f : frames(c)) {
          named |=
              f.function().equals(pc.group(1))
                  && pc.group(2).equals(f.offset())
                  && pc.group(3).equals(f.module());
        }
      }
      assertThat(named)
          .as("%s+%s [%s] in the dump's stacks", pc.group(1), pc.group(2), pc.group(3))
          .isTrue();
      assertThat(dumpView("--system-map", map.toString(), dump.toString(), "bt", "-a"))
          .contains(" " + pc.group(1) + " at ")
          .contains(" [" + pc.group(3) + "]");
    } finally {
      Files.deleteIfExists(map);
    }
  }

  /** The dump with the committed System.map: BTF, tasks and module ranges need it on arm64. */
  private static Diagnosis analyzeWithMap(Path dump) throws Exception {
    Path map = Files.createTempFile("ktriage-arm64-map-", ".xz");
    try {
      Files.copy(arm64SystemMap(), map, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return ANALYZER.analyze(
          Ingest.read(
              List.of(dump), Strictness.LENIENT, java.io.InputStream.nullInputStream(), map));
    } finally {
      Files.deleteIfExists(map);
    }
  }

  /**
   * arm64 puts its modules where KASLR chose ({@code module_alloc_base}, inside the vmalloc range):
   * the timer-after-unload fault address (the freed {@code .bss} timer + 8) is module-area memory
   * that no loaded module covers, as {@code kmem} says it; the finding cites that, while a loaded
   * module's own address (from {@code dump mod}) is that module's.
   */
  @Test
  void committedTimerFaultIsFreedModuleMemory() throws Exception {
    Path dump = SeedCaseTest.root().resolve("lab-arm64/fixtures/timer-after-unload.vmcore.elf.xz");
    String console = Files.readString(console("timer-after-unload"), StandardCharsets.ISO_8859_1);
    Matcher fault =
        Pattern.compile("paging request at virtual address ([0-9a-f]{16})").matcher(console);
    assertThat(fault.find()).isTrue();
    String map = arm64SystemMap().toString();
    assertThat(dumpView("--system-map", map, dump.toString(), "kmem", fault.group(1)))
        .contains(fault.group(1) + ": module area, in no loaded module");
    Matcher mod =
        Pattern.compile("^[0-9a-f]{16}\\s+(\\w+)\\s+([0-9a-f]{16})\\s+\\d+", Pattern.MULTILINE)
            .matcher(dumpView("--system-map", map, dump.toString(), "mod"));
    assertThat(mod.find()).isTrue();
    long base = Long.parseUnsignedLong(mod.group(2), 16);
    assertThat(dumpView("--system-map", map, dump.toString(), "kmem", Long.toHexString(base + 16)))
        .contains("module " + mod.group(1) + " ");

    Diagnosis d = analyzeWithMap(dump);
    var timer =
        d.findings().stream()
            .filter(f -> f.rule().equals("timer-of-unloaded-module"))
            .findFirst()
            .orElseThrow();
    assertThat(timer.evidence())
        .anyMatch(
            e ->
                e.text().startsWith("kmem " + fault.group(1) + ": module area, in no loaded")
                    && e.source() != null);
    assertThat(timer.summary()).contains("module-area memory that no loaded module covers");
  }

  /**
   * The lab's arm64 use-after-free ({@code slub_debug=FZP}): arm64 prints the poison pointer with
   * its top byte cleared ({@code 006b6b6b6b6b6b73}); the object the module freed (its own message
   * names it) is a FREE object of a kmalloc cache in the dump's memory (SLUB freelists through the
   * memory sections VMCOREINFO describes), the finding cites it by its register, and a live object
   * of the same crash (the crashing task's {@code task_struct}) is ALLOCATED.
   */
  @Test
  void freedObjectIsNamedFromTheSlabFreelists() throws Exception {
    Path dump =
        Path.of(System.getProperty("ktriage.arm64Lab", "/var/tmp/ktriage-arm64"), "use-after-free")
            .resolve("vmcore");
    assumeTrue(
        Files.isReadable(dump), () -> dump + " not here (made by lab-arm64/make-arm64-dumps.sh)");
    String console = Files.readString(console("use-after-free"), StandardCharsets.ISO_8859_1);
    Matcher session = Pattern.compile("session ([0-9a-f]{16}) allocated").matcher(console);
    assertThat(session.find()).isTrue();
    String object = session.group(1);
    Diagnosis d = analyzeWithMap(dump);
    Matcher off = KERNEL_OFFSET.matcher(console);
    assertThat(off.find()).isTrue();
    assumeTrue(
        Objects.equals(
            d.report().kernel().layout().kernelOffset(), Long.parseUnsignedLong(off.group(1), 16)),
        () -> dump + " is not of the run of " + console("use-after-free"));
    assertThat(d.failureClass()).isEqualTo(FailureClass.USE_AFTER_FREE);
    String map = arm64SystemMap().toString();
    assertThat(dumpView("--system-map", map, dump.toString(), "kmem", object))
        .contains(object + ": 0 bytes into FREE object " + object + " of slab cache kmalloc-")
        .contains("on the slab's freelist");
    var uaf =
        d.findings().stream()
            .filter(f -> f.rule().equals("use-after-free-poison"))
            .findFirst()
            .orElseThrow();
    assertThat(uaf.evidence())
        .anyMatch(
            e ->
                e.text().startsWith("kmem " + object + " (X19): 0 bytes into FREE object")
                    && e.addresses().contains(Long.parseUnsignedLong(object, 16)));
    assertThat(uaf.missing()).isEmpty();
    Matcher pid = Pattern.compile("CPU: \\d+ PID: (\\d+) Comm: insmod").matcher(console);
    assertThat(pid.find()).isTrue();
    String ps = dumpView("--system-map", map, dump.toString(), "ps");
    Matcher task =
        Pattern.compile(
                "^>?\\s*" + pid.group(1) + "\\s+\\d+\\s+\\d+\\s+([0-9a-f]{16})", Pattern.MULTILINE)
            .matcher(ps);
    assertThat(task.find()).as(ps).isTrue();
    assertThat(dumpView("--system-map", map, dump.toString(), "kmem", task.group(1)))
        .contains("0 bytes into ALLOCATED object " + task.group(1) + " of slab cache task_struct");
  }
}
