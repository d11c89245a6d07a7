package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ktriage.ingest.dump.Vmcore;
import org.ktriage.ingest.elf.ElfNote;
import org.ktriage.ingest.kallsyms.KallsymsTable;
import org.ktriage.ingest.kallsyms.KernelSymbol;
import org.ktriage.ingest.kdump.KdumpHeader;
import org.ktriage.ingest.mm.KernelMemory;
import org.ktriage.ingest.mm.PageState;
import org.ktriage.ingest.mm.PhysicalMemory;
import org.ktriage.ingest.vmcoreinfo.VmcoreInfo;
import org.ktriage.testkit.dump.KallsymsLayout;
import org.ktriage.testkit.dump.KallsymsWriter;
import org.ktriage.testkit.dump.KdumpWriter;
import org.ktriage.testkit.dump.Note;
import org.ktriage.testkit.dump.PhysicalImage;

/**
 * A real dump (the lab's 6.1 {@code timer-pending-kdump}) rewritten with its kallsyms tables in
 * each layout the kernel has used ({@link KallsymsLayout}, written as {@code scripts/kallsyms.c} of
 * that era writes them): the tables of the kernel are wiped, the new ones placed in a 2 MiB page
 * mapped after {@code _end}, and VMCOREINFO either points at them (v6.0+ {@code
 * crash_save_vmcoreinfo_init()}) or names none (before v6.0: found by structure). Each variant must
 * give {@code dmesg}, {@code dump sym/bt/mod} and {@code analyze} exactly as the original, and its
 * symbol table must be the symbols written.
 */
class KallsymsLayoutDumpsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private static Path original;
  private static PhysicalImage image;
  private static KdumpHeader header;
  private static List<Note> notes;
  private static String vmcoreinfo;
  private static KallsymsWriter writer;

  /** The same kernel with its per-CPU section linked where it is loaded (not zero-based). */
  private static KallsymsWriter perCpuLinkedWriter = new KallsymsWriter(List.of());

  /** Physical address of {@code __per_cpu_offset[]}, its bytes as dumped and as re-linked. */
  private static long perCpuOffsetPa;

  private static byte[] perCpuOffsets = new byte[0];
  private static byte[] perCpuOffsetsLinked = new byte[0];
  private static long tablesVa;
  private static long tablesPa;
  private static final Map<String, String> EXPECTED = new java.util.HashMap<>();

  /** 2 MiB pages mapped for the tables (absolute addresses of 94 266 symbols take 2.2 MiB). */
  private static final int HUGE_PAGES = 2;

  /** Addresses asked of {@code dump sym}: functions on the crash path and data. */
  private static final String[] SYMS = {"sysrq_handle_crash", "jiffies"};

  @BeforeAll
  static void readOriginal() throws Exception {
    original =
        SeedCaseTest.existing(
            SeedCaseTest.root().resolve("lab/fixtures/timer-pending-kdump.vmcore"));
    try (Vmcore v = Vmcore.open(original)) {
      header = Objects.requireNonNull(v.kdumpHeader());
      VmcoreInfo vi = Objects.requireNonNull(v.vmcoreinfo());
      KernelMemory km = v.kernelMemory();
      PhysicalMemory pm = km.physical();
      image = new PhysicalImage(header.maxMapnr());
      byte[] page = new byte[PhysicalImage.PAGE_SIZE];
      for (long pfn = 0; pfn < header.maxMapnr(); pfn++) {
        PageState st = pm.readPage(pfn, page);
        if (st == PageState.PRESENT) {
          image.write(pfn * PhysicalImage.PAGE_SIZE, page.clone());
        } else if (st == PageState.FILTERED) {
          image.filter(pfn);
        }
      }
      notes = new ArrayList<>();
      for (ElfNote n : v.notes()) {
        if (!n.name().equals("VMCOREINFO")) {
          notes.add(new Note(n.name(), n.type(), n.desc()));
        }
      }
      // the kernel's own tables: written again below in each layout, so wiped here
      KallsymsTable note = v.kallsyms();
      List<KallsymsWriter.Symbol> syms = new ArrayList<>();
      for (KernelSymbol s : note.symbols()) {
        syms.add(new KallsymsWriter.Symbol(s.name(), s.type(), s.address()));
      }
      writer = new KallsymsWriter(syms);
      perCpuLinked(note, km);
      long from = Objects.requireNonNull(vi.symbol("kallsyms_offsets"));
      long to = Objects.requireNonNull(vi.symbol("kallsyms_token_index")) + 512;
      for (long va = from; va < to; ) {
        long pa = km.translator().toPhysical(va);
        int n = (int) Math.min(to - va, PhysicalImage.PAGE_SIZE - (va & 0xfff));
        image.write(pa, new byte[n]);
        va += n;
      }
      StringBuilder kept = new StringBuilder();
      for (String line : vi.raw().split("\n", -1)) {
        if (!line.startsWith("SYMBOL(kallsyms_") && !line.isEmpty()) {
          kept.append(line).append('\n');
        }
      }
      vmcoreinfo = kept.toString();
      // a 2 MiB page for the new tables: the first free slot of the kernel-image map after _end
      // (__START_KERNEL_map + phys_base: the memory right after the image, freed at boot and
      // filtered out of this dump), mapped by its PMD entry as the image's own 2 MiB pages are
      long end = Objects.requireNonNull(note.addressOf("_end"));
      long text = Objects.requireNonNull(note.addressOf("_text"));
      tablesVa = (end + (2 << 20) - 1) & -(2L << 20);
      tablesPa = km.translator().toPhysical(text) + (tablesVa - text);
      for (long pfn = tablesPa / PhysicalImage.PAGE_SIZE, n = 0; n < 512 * HUGE_PAGES; n++) {
        assertThat(image.filtered()).as("free page after the image").contains(pfn + n);
      }
      long pml4 = km.translator().toPhysical(Objects.requireNonNull(vi.symbol("init_top_pgt")));
      long pud = entry(pml4, tablesVa, 39) & 0x000ffffffffff000L;
      long pmd = entry(pud, tablesVa, 30) & 0x000ffffffffff000L;
      for (int i = 0; i < HUGE_PAGES; i++) {
        long va = tablesVa + ((long) i << 21);
        assertThat(entry(pmd, va, 21)).as("PMD slot after _end").isZero();
        image.writeU64(pmd + ((va >>> 21) & 511) * 8, (tablesPa + ((long) i << 21)) | 0xe3);
      }
    }
    EXPECTED.putAll(outputs(original, true));
  }

  /**
   * The kernel as linked without zero-based per-CPU symbols (arm64; x86_64 since it dropped {@code
   * CONFIG_KALLSYMS_ABSOLUTE_PERCPU}): each per-CPU symbol at {@code __per_cpu_load} plus its
   * offset, and {@code __per_cpu_offset[cpu]} (include/asm-generic/percpu.h {@code per_cpu_ptr}:
   * symbol + offset) less {@code __per_cpu_load}, so every per-CPU address is the same as the
   * dumped kernel's.
   */
  private static void perCpuLinked(KallsymsTable table, KernelMemory km) throws Exception {
    long load = Objects.requireNonNull(table.addressOf("__per_cpu_load"));
    List<KallsymsWriter.Symbol> linked = new ArrayList<>();
    for (KallsymsWriter.Symbol s : writer.symbols()) {
      linked.add(
          s.address() >= 0 ? new KallsymsWriter.Symbol(s.name(), s.type(), s.address() + load) : s);
    }
    // scripts/kallsyms.c sort_symbols(): by address (a stable sort keeps aliases in order)
    linked.sort((a, b) -> Long.compareUnsigned(a.address(), b.address()));
    perCpuLinkedWriter = new KallsymsWriter(linked);
    long offsets = Objects.requireNonNull(table.addressOf("__per_cpu_offset"));
    long cpus = km.readU32(Objects.requireNonNull(table.addressOf("nr_cpu_ids")), "nr_cpu_ids");
    perCpuOffsetPa = km.translator().toPhysical(offsets);
    perCpuOffsets = image.read(perCpuOffsetPa, (int) (8 * cpus));
    perCpuOffsetsLinked = perCpuOffsets.clone();
    for (int cpu = 0; cpu < cpus; cpu++) {
      long v = 0;
      for (int i = 7; i >= 0; i--) {
        v = v << 8 | (perCpuOffsets[8 * cpu + i] & 0xff);
      }
      v -= load;
      for (int i = 0; i < 8; i++) {
        perCpuOffsetsLinked[8 * cpu + i] = (byte) (v >>> (8 * i));
      }
    }
  }

  private static long entry(long table, long va, int shift) {
    byte[] b = image.read(table + ((va >>> shift) & 511) * 8, 8);
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = v << 8 | (b[i] & 0xff);
    }
    return v;
  }

  /** What the commands print for a dump ({@code all}: also dmesg, mod and sym). */
  private static Map<String, String> outputs(Path dump, boolean all) throws Exception {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    if (all) {
      Run dmesg = Run.of("dmesg", dump.toString());
      assertThat(dmesg.exitCode()).as(dmesg.err()).isZero();
      out.put("dmesg", dmesg.out());
    }
    for (String view : all ? new String[] {"bt", "mod"} : new String[] {"bt"}) {
      Run r = Run.of("dump", dump.toString(), view);
      assertThat(r.exitCode()).as(view + ": " + r.err()).isZero();
      out.put(view, r.out());
    }
    if (!all) {
      return analyzed(dump, out);
    }
    try (Vmcore v = Vmcore.open(original)) {
      KallsymsTable k = v.kallsyms();
      for (String s : SYMS) {
        long addr = Objects.requireNonNull(k.addressOf(s)) + 3;
        Run r = Run.of("dump", dump.toString(), "sym", Long.toHexString(addr));
        assertThat(r.exitCode()).as(s + ": " + r.err()).isZero();
        out.put("sym " + s, r.out());
      }
    }
    return analyzed(dump, out);
  }

  private static Map<String, String> analyzed(Path dump, Map<String, String> out) throws Exception {
    Run analyze = Run.of("analyze", "--format", "json", dump.toString());
    assertThat(analyze.exitCode()).as(analyze.err()).isIn(0, 1);
    JsonNode a = JSON.readTree(analyze.out());
    for (String field : new String[] {"class", "title", "signature", "primary", "cpus"}) {
      out.put("analyze " + field, a.path(field).toString().replace(dump.toString(), "DUMP"));
    }
    return out;
  }

  static Stream<Arguments> variants() {
    List<Arguments> out = new ArrayList<>();
    for (KallsymsLayout l : KallsymsLayout.values()) {
      out.add(Arguments.of(l, true));
      out.add(Arguments.of(l, false));
    }
    return out.stream();
  }

  /** The symbols a layout is written with: zero-based per-CPU ones need absolute per-CPU. */
  private static KallsymsWriter writerFor(KallsymsLayout layout) {
    return layout.addresses() == KallsymsLayout.Addresses.RELATIVE ? perCpuLinkedWriter : writer;
  }

  private static Path variant(KallsymsLayout layout, boolean note) throws Exception {
    boolean linked = writerFor(layout) == perCpuLinkedWriter;
    image.write(perCpuOffsetPa, linked ? perCpuOffsetsLinked : perCpuOffsets);
    KallsymsWriter.Tables t = writerFor(layout).write(layout, tablesVa);
    assertThat(t.bytes().length).isLessThan(HUGE_PAGES << 21);
    image.write(tablesPa, t.bytes());
    StringBuilder vi = new StringBuilder(vmcoreinfo);
    if (note) {
      // kernel/crash_core.c crash_save_vmcoreinfo_init(), v6.0+
      for (Map.Entry<String, Long> e : t.labels().entrySet()) {
        if (!e.getKey().equals("kallsyms_markers")
            && !e.getKey().equals("kallsyms_seqs_of_names")) {
          vi.append("SYMBOL(")
              .append(e.getKey())
              .append(")=")
              .append(Long.toHexString(e.getValue()))
              .append('\n');
        }
      }
    }
    Path p = dir.resolve(layout + (note ? "-note" : "-scan") + ".vmcore");
    Files.write(
        p,
        new KdumpWriter()
            .compression(KdumpWriter.Compression.NONE)
            .release(header.release())
            .machine(header.machine())
            .physBase(header.physBase())
            .dumpLevel(header.dumpLevel())
            .notes(notes)
            .vmcoreinfo(vi.toString())
            .toBytes(image));
    image.write(tablesPa, new byte[t.bytes().length]);
    image.write(perCpuOffsetPa, perCpuOffsets);
    return p;
  }

  @ParameterizedTest(name = "{0} note={1}")
  @MethodSource("variants")
  void everyLayoutGivesTheOriginalsOutputs(KallsymsLayout layout, boolean note) throws Exception {
    Path dump = variant(layout, note);
    try {
      try (Vmcore v = Vmcore.open(dump)) {
        VmcoreInfo vi = Objects.requireNonNull(v.vmcoreinfo());
        assertThat(KallsymsTable.available(vi)).isEqualTo(note);
        List<KallsymsWriter.Symbol> read = new ArrayList<>();
        for (KernelSymbol s : v.kallsyms().symbols()) {
          read.add(new KallsymsWriter.Symbol(s.name(), s.type(), s.address()));
        }
        assertThat(read).isEqualTo(writerFor(layout).symbols());
      }
      // found by structure, the symbols are the ones written (above): what is then computed
      // from them is proven on the note's variant, so only bt and analyze run again (each
      // command scans the image once more)
      Map<String, String> got = outputs(dump, note);
      for (Map.Entry<String, String> e : got.entrySet()) {
        assertThat(e.getValue()).as(e.getKey()).isEqualTo(EXPECTED.get(e.getKey()));
      }
      assertThat(got).hasSize(note ? EXPECTED.size() : 6);
    } finally {
      Files.deleteIfExists(dump);
    }
  }

  /** Plain base-relative offsets cannot hold this kernel's zero-based per-CPU symbols. */
  @Test
  void relativeWithoutAbsolutePerCpuRefusesZeroBasedPerCpuSymbols() {
    assertThatThrownBy(() -> writer.write(KallsymsLayout.RELATIVE_V4_20, tablesVa))
        .hasMessageContaining("out of range in relative mode");
  }
}
