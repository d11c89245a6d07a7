package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ktriage.analysis.Analyzer;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.ingest.dump.Vmcore;
import org.ktriage.ingest.kallsyms.KallsymsScanner;
import org.ktriage.ingest.kallsyms.KallsymsTable;
import org.ktriage.ingest.kallsyms.KernelSymbol;
import org.ktriage.ingest.vmcoreinfo.VmcoreInfo;
import org.ktriage.model.CpuState;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.Frame;
import org.ktriage.model.KernelModule;
import org.ktriage.model.StackSegment;
import org.tukaani.xz.XZInputStream;

/**
 * Dumps of kernels other than the one ktriage was built against, made by the shared lab ({@code
 * LAB_NO_CRASH=1 make-crashes.sh null-deref@5.10 …}, see its README "Other kernel generations"):
 * Debian 5.10 puts no kallsyms in VMCOREINFO, so every symbol comes from the tables found in the
 * kernel image; on 6.1 and 6.12 the same search, with the VMCOREINFO entries ignored, must give the
 * note's symbols. The dumps (35-50 MB each) are not in git: the test runs where they are, in {@code
 * ktriage.lab} (default {@code /var/tmp/ktriage-lab}) as {@code <scenario>/vmcore}, each with the
 * {@code console.log} of the same run beside it (the script writes it to {@code
 * out/<scenario>/console.log}; copy it there).
 */
class FieldKernelDumpsTest {
  private static final Analyzer ANALYZER = new Analyzer();

  /** {@code func+0xoff/0xsize} in a kernel trace line, with an optional {@code [module]}. */
  private static final Pattern SYMBOL_SIZE =
      Pattern.compile("\\b([A-Za-z_][\\w.]*)\\+0x([0-9a-f]+)/0x([0-9a-f]+)( \\[\\w+\\])?");

  private static Path lab(String scenario, String file) {
    Path p =
        Path.of(System.getProperty("ktriage.lab", "/var/tmp/ktriage-lab"), scenario).resolve(file);
    assumeTrue(
        Files.isReadable(p), () -> p + " not here (made by the shared lab, see the Javadoc)");
    return p;
  }

  private static Diagnosis analyze(Path p) throws Exception {
    return ANALYZER.analyze(Ingest.read(List.of(p), Strictness.LENIENT));
  }

  @ParameterizedTest
  @ValueSource(strings = {"null-deref@5.10", "timer-after-unload@5.10", "soft-lockup@5.10"})
  void kernelWithoutKallsymsNoteIsSymbolizedFromItsImage(String scenario) throws Exception {
    Path dump = lab(scenario, "vmcore");
    String console = Files.readString(lab(scenario, "console.log"), StandardCharsets.ISO_8859_1);
    try (Vmcore v = Vmcore.open(dump)) {
      VmcoreInfo vi = Objects.requireNonNull(v.vmcoreinfo());
      assertThat(vi.osRelease()).startsWith("5.10.");
      assertThat(KallsymsTable.available(vi)).as("kallsyms in VMCOREINFO").isFalse();
      KallsymsTable syms = v.kallsyms();
      assertThat(syms.size()).isGreaterThan(100_000);
      // every symbol found is one of the debug vmlinux's (nm of the -dbg package's vmlinux, kept
      // in git), at its address slid by KERNELOFFSET: read through --system-map's loader
      Path map = Files.createTempFile("ktriage-map-", ".txt");
      try {
        try (InputStream in =
                new XZInputStream(
                    new BufferedInputStream(
                        Files.newInputStream(
                            SeedCaseTest.root()
                                .resolve("lab/fixtures/System.map-5.10.0-46-amd64.xz"))));
            OutputStream out = Files.newOutputStream(map)) {
          in.transferTo(out);
        }
        Long offset = vi.kernelOffset();
        Set<String> fromMap = new HashSet<>();
        for (KernelSymbol s :
            KallsymsTable.fromSystemMap(map, offset == null ? 0 : offset).symbols()) {
          fromMap.add(s.name() + "@" + Long.toHexString(s.address()));
        }
        List<String> notInMap = new ArrayList<>();
        for (KernelSymbol s : syms.symbols()) {
          String key = s.name() + "@" + Long.toHexString(s.address());
          if (!fromMap.contains(key)) {
            notInMap.add(key);
          }
        }
        assertThat(notInMap).isEmpty();
      } finally {
        Files.deleteIfExists(map);
      }
      // every core-kernel function the console's traces print as func+off/size has that size in
      // the tables found (the kernel computes it the same way, from the next kallsyms entry)
      Matcher m = SYMBOL_SIZE.matcher(console);
      int checked = 0;
      while (m.find()) {
        if (m.group(4) != null) {
          continue;
        }
        long size = Long.parseLong(m.group(3), 16);
        String name = m.group(1);
        List<Long> sizes = new ArrayList<>();
        for (KernelSymbol s : syms.symbols()) {
          KernelSymbol at = s.name().equals(name) ? syms.lookup(s.address()) : null;
          if (at != null) {
            sizes.add(at.size());
          }
        }
        assertThat(sizes).as("%s in %s", name, scenario).contains(size);
        checked++;
      }
      assertThat(checked).isGreaterThan(5);
    }

    Diagnosis fromDump = analyze(dump);
    Diagnosis fromConsole = analyze(lab(scenario, "console.log"));
    assertThat(fromDump.report().completeness().problems())
        .anyMatch(p -> p.contains("taken from the kallsyms tables found in the kernel image"));
    // the same diagnosis as the console log of the same run
    assertThat(fromDump.failureClass()).isEqualTo(fromConsole.failureClass());
    assertThat(fromDump.title()).isEqualTo(fromConsole.title());
    assertThat(Objects.requireNonNull(fromDump.primary()).function())
        .isEqualTo(Objects.requireNonNull(fromConsole.primary()).function());
    // a faulting instruction is decoded from the kernel text in memory (its RIP is printed only
    // as function+offset, so it is placed through the symbols found in the image), with the base
    // register's value that explains the fault address
    for (org.ktriage.model.Oops o : fromDump.report().oopses()) {
      org.ktriage.model.FaultingInstruction fi = o.faultingInstruction();
      if (fi != null && o.ip() != null && !Objects.requireNonNull(o.ip()).userMode()) {
        assertThat(fi.source()).as("instruction of %s", o.headline()).isEqualTo("kernel-text");
        assertThat(fi.address()).isNotNull();
      }
    }
    if (scenario.startsWith("timer-after-unload")) {
      org.ktriage.model.FaultingInstruction fi =
          fromDump.report().oopses().stream()
              .map(org.ktriage.model.Oops::faultingInstruction)
              .filter(Objects::nonNull)
              .findFirst()
              .orElseThrow();
      assertThat(fi.text()).isEqualTo("mov %rsi,0x8(%rcx)");
      assertThat(Objects.requireNonNull(fi.memory()).base()).isEqualTo("RCX");
      assertThat(fi.effectiveAddress()).isEqualTo(fi.faultAddress()).isNotNull();
    }
    // module list: the console's "Modules linked in:", read from memory with base and size
    Matcher linked = Pattern.compile("Modules linked in: ([^\\n\\[]*)").matcher(console);
    assertThat(linked.find()).isTrue();
    Set<String> consoleModules = new TreeSet<>();
    for (String w : linked.group(1).trim().split("\\s+")) {
      consoleModules.add(w.replaceAll("\\(.*\\)$", ""));
    }
    Set<String> dumpModules = new TreeSet<>();
    for (KernelModule km : fromDump.report().modules()) {
      assertThat(km.base()).isNotNull();
      dumpModules.add(km.name());
    }
    assertThat(dumpModules).isEqualTo(consoleModules);
    // every CPU's stack symbolized (ORC, through module frames), none left as "?"
    assertThat(fromDump.report().cpus()).hasSizeGreaterThanOrEqualTo(2);
    for (CpuState c : fromDump.report().cpus()) {
      List<Frame> frames = new ArrayList<>();
      for (StackSegment s : c.segments()) {
        frames.addAll(s.frames());
      }
      assertThat(frames).as("CPU %d of %s", c.cpu(), scenario).hasSizeGreaterThan(3);
      assertThat(frames).allMatch(f -> !f.function().equals("?"));
    }
    // a module function on the crash path is func+off [module], as the console prints it
    Matcher mod = SYMBOL_SIZE.matcher(console);
    while (mod.find()) {
      if (mod.group(4) == null) {
        continue;
      }
      String fn = mod.group(1);
      String module = mod.group(4).substring(2, mod.group(4).length() - 1);
      if (!dumpModules.contains(module)) {
        continue; // printed while loaded (e.g. the module's own %pS message), unloaded since
      }
      boolean found = false;
      for (CpuState c : fromDump.report().cpus()) {
        for (StackSegment s : c.segments()) {
          if (s.exception() != null
              && fn.equals(s.exception().function())
              && module.equals(s.exception().module())) {
            found = true;
          }
          for (Frame f : s.frames()) {
            found |= fn.equals(f.function()) && module.equals(f.module());
          }
        }
      }
      assertThat(found).as("%s [%s] in the dump's stacks", fn, module).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"timer-after-unload@6.12", "null-deref"})
  void tablesFoundInTheImageAreTheNotes(String scenario) throws Exception {
    try (Vmcore v = Vmcore.open(lab(scenario, "vmcore"))) {
      VmcoreInfo vi = Objects.requireNonNull(v.vmcoreinfo());
      assertThat(KallsymsTable.available(vi)).isTrue();
      KallsymsTable note = v.kallsyms();
      Long offset = vi.kernelOffset();
      // no _stext either: the scanner must find the tables and their address encoding alone
      KallsymsTable scanned =
          KallsymsScanner.scan(
              v.kernelMemory(), 0xffffffff81000000L + (offset == null ? 0 : offset), null);
      assertThat(scanned).isNotNull();
      assertThat(Objects.requireNonNull(scanned).symbols()).isEqualTo(note.symbols());
      assertThat(note.size()).isGreaterThan(50_000);
    }
  }

  /**
   * The lab's use-after-free (6.1, {@code slub_debug=FZP}): {@code lab_uaf} frees a {@code struct
   * lab_session} (kmalloc-32) and calls through it. The console's registers hold the freed object's
   * address; the dump's memory says it is a FREE kmalloc-32 object (SLUB freelists), and the
   * use-after-free finding cites that.
   */
  @org.junit.jupiter.api.Test
  void freedObjectIsNamedFromTheSlabFreelists() throws Exception {
    Path dump = lab("use-after-free", "vmcore");
    String console =
        Files.readString(lab("use-after-free", "console.log"), StandardCharsets.ISO_8859_1);
    Matcher rdi = Pattern.compile("RDI: ([0-9a-f]{16})").matcher(console);
    assertThat(rdi.find()).isTrue();
    long freed = Long.parseUnsignedLong(rdi.group(1), 16);
    try (org.ktriage.ingest.kernel.DumpViews v = org.ktriage.ingest.kernel.DumpViews.open(dump)) {
      assertThat(v.kmem(freed))
          .singleElement()
          .asString()
          .contains(String.format("0 bytes into FREE object %016x of slab cache kmalloc-32", freed))
          .contains("on the slab's freelist");
      // a live object of the same crash: the crashing task's own task_struct
      Matcher pid = Pattern.compile("CPU: \\d+ PID: (\\d+) Comm: insmod").matcher(console);
      assertThat(pid.find()).isTrue();
      org.ktriage.ingest.kernel.KernelTask insmod =
          v.tasks().stream()
              .filter(t -> t.pid() == Integer.parseInt(pid.group(1)))
              .findFirst()
              .orElseThrow();
      assertThat(v.kmem(insmod.address()))
          .singleElement()
          .asString()
          .contains(
              String.format(
                  "0 bytes into ALLOCATED object %016x of slab cache task_struct",
                  insmod.address()));
    }
    Diagnosis d = analyze(dump);
    org.ktriage.model.Finding uaf =
        d.findings().stream()
            .filter(f -> f.rule().equals("use-after-free-poison"))
            .findFirst()
            .orElseThrow();
    // one line for the object, named by the registers that hold its address (the console's RDI)
    assertThat(uaf.evidence())
        .filteredOn(e -> e.text().contains("FREE object"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.text())
                    .startsWith(String.format("kmem %016x (", freed))
                    .contains("RDI")
                    .contains("0 bytes into FREE object")
                    .contains("kmalloc-32"));
    assertThat(uaf.missing()).isEmpty();
    assertThat(d.report().addressFacts())
        .anyMatch(a -> a.address() == freed && a.kind().equals("slab-free"));
    // the console log alone cannot tell
    assertThat(analyze(lab("use-after-free", "console.log")).report().addressFacts()).isEmpty();
  }

  /**
   * The lab's stack-overflow (6.1, {@code lab/make-more-crashes.sh stack-overflow}): unbounded
   * recursion runs into the guard page below the vmalloc'ed stack; the report's own addresses are
   * hashed ({@code %p}), but its CR2 is the faulting push, and the dump's memory says whose stack
   * the guard page is below: the crashing task's, whose stack the stack pointer sits at the bottom
   * of. The stack-overflow finding cites it.
   */
  @org.junit.jupiter.api.Test
  void guardPageHitIsBelowTheCrashingTasksStack() throws Exception {
    Path dump = lab("stack-overflow", "vmcore");
    String console =
        Files.readString(lab("stack-overflow", "console.log"), StandardCharsets.ISO_8859_1);
    Matcher cr2 = Pattern.compile("CR2: ([0-9a-f]{16})").matcher(console);
    Matcher rsp = Pattern.compile("RSP: 0018:([0-9a-f]{16})").matcher(console);
    Matcher pid = Pattern.compile("CPU: \\d+ PID: (\\d+) Comm: (\\S+)").matcher(console);
    assertThat(cr2.find() && rsp.find() && pid.find()).isTrue();
    String task = pid.group(1) + " " + pid.group(2);
    try (org.ktriage.ingest.kernel.DumpViews v = org.ktriage.ingest.kernel.DumpViews.open(dump)) {
      long fault = Long.parseUnsignedLong(cr2.group(1), 16);
      assertThat(v.kmem(fault))
          .singleElement()
          .asString()
          .contains("guard page ")
          .contains(" below the kernel stack of pid " + task);
      assertThat(v.kmem(Long.parseUnsignedLong(rsp.group(1), 16)))
          .singleElement()
          .asString()
          .contains("kernel stack of pid " + task)
          .contains(", 0 bytes above its lowest address");
    }
    Diagnosis d = analyze(dump);
    org.ktriage.model.Finding so =
        d.findings().stream()
            .filter(f -> f.rule().equals("stack-overflow"))
            .findFirst()
            .orElseThrow();
    assertThat(so.evidence())
        .anyMatch(
            e ->
                e.text().startsWith("kmem " + cr2.group(1) + ": guard page")
                    && e.text().contains("pid " + task));
    assertThat(analyze(lab("stack-overflow", "console.log")).report().addressFacts()).isEmpty();
  }

  /**
   * The lab's double-free (6.1, {@code lab/make-more-crashes.sh double-free}): {@code
   * lab_double_free} kfree()s one buffer twice; SLUB's hardened freelist BUG()s on the second free
   * ({@code kernel BUG at mm/slub.c}, set_freepointer's {@code BUG_ON(object == fp)} in {@code
   * __kmem_cache_free}). The text says a double free; the dump's memory shows which object, already
   * free at the head of that CPU's freelist, and the double-free finding cites it and names the
   * caller.
   */
  @org.junit.jupiter.api.Test
  void freeOfAnObjectAlreadyOnAFreelistIsADoubleFree() throws Exception {
    Path dump = lab("double-free", "vmcore");
    String console =
        Files.readString(lab("double-free", "console.log"), StandardCharsets.ISO_8859_1);
    Matcher buffer = Pattern.compile("buffer ([0-9a-f]{16}) allocated").matcher(console);
    Matcher cpu = Pattern.compile("CPU: (\\d+) PID: \\d+ Comm: insmod").matcher(console);
    assertThat(buffer.find() && cpu.find()).isTrue();
    String object = buffer.group(1);
    try (org.ktriage.ingest.kernel.DumpViews v = org.ktriage.ingest.kernel.DumpViews.open(dump)) {
      // kzalloc of the module's 48-byte struct lab_buf comes from kmalloc-64
      assertThat(v.kmem(Long.parseUnsignedLong(object, 16)))
          .singleElement()
          .asString()
          .contains("0 bytes into FREE object " + object + " of slab cache kmalloc-64")
          .contains("on CPU " + cpu.group(1) + "'s per-CPU freelist");
    }
    Diagnosis d = analyze(dump);
    org.ktriage.model.Finding df =
        d.findings().stream()
            .filter(f -> f.rule().equals("double-free"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(d.findings()));
    assertThat(df.evidence())
        .anyMatch(
            e ->
                e.text().startsWith("kmem " + object + " (")
                    && e.text().endsWith("the object being freed is already free"));
    assertThat(df.summary()).contains(object).contains("kmalloc-64").contains("lab_double_free");
    assertThat(d.failureClass().id()).isEqualTo("double-free");
    assertThat(Objects.requireNonNull(d.primary()).function()).isEqualTo("lab_double_free_init");
    // the console alone: SLUB's freelist BUG in __kmem_cache_free is a double free, but which
    // object and that it is already free only the memory says
    Diagnosis text = analyze(lab("double-free", "console.log"));
    assertThat(text.failureClass().id()).isEqualTo("double-free");
    assertThat(text.findings())
        .filteredOn(f -> f.rule().equals("double-free"))
        .singleElement()
        .satisfies(f -> assertThat(f.evidence()).noneMatch(e -> e.text().startsWith("kmem ")));
  }
}
