package org.ktriage.ingest.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ktriage.ingest.bin.CorruptDumpException;
import org.ktriage.ingest.bin.UnsupportedDumpException;
import org.ktriage.ingest.mm.PageState;
import org.ktriage.model.CpuState;
import org.ktriage.model.InputFormat;
import org.ktriage.model.LogRecord;
import org.ktriage.testkit.dump.ElfCoreWriter;
import org.ktriage.testkit.dump.KdumpWriter;
import org.ktriage.testkit.dump.KdumpWriter.Compression;
import org.ktriage.testkit.dump.SyntheticKernel;
import org.ktriage.testkit.dump.SyntheticKernel.LogLine;

/** Every container, compression and ring shape on small dumps written by the testkit. */
class SyntheticDumpTest {
  @TempDir Path tmp;

  private static final byte[] UTF8_QUOTE = {(byte) 0xe2, (byte) 0x80, (byte) 0x99};

  /** Lines covering a wrapped first block, embedded newline, escapes, dataless and reserved. */
  static SyntheticKernel kernel() {
    byte[] odd = new byte[] {'a', 0x01, '\t', 'b', UTF8_QUOTE[0], UTF8_QUOTE[1], UTF8_QUOTE[2]};
    List<LogLine> lines =
        List.of(
            LogLine.of(0, 6, "Linux version 6.1.0-synthetic wrapped at the ring end"),
            new LogLine(
                1_234_567_891L,
                4,
                0x80000001L,
                "two\nlines".getBytes(StandardCharsets.US_ASCII),
                2,
                false),
            new LogLine(2_000_000_000L, 6, 77, odd, 1, false),
            new LogLine(2_500_000_000L, 6, 77, new byte[0], 2, true),
            LogLine.of(123_456_789_000_000L, 0, "Kernel panic - not syncing: synthetic"),
            new LogLine(
                123_456_790_000_000L,
                0,
                1,
                "cut by the crash".getBytes(StandardCharsets.US_ASCII),
                0,
                false));
    return new SyntheticKernel()
        .ring(5, 12)
        .start(1000, 3 * 4096 - 24)
        .lines(lines)
        .cpus(
            List.of(
                new long[] {0, 0xffffffff81400010L, 0xffff888000100000L},
                new long[] {42, 0xffffffff81400020L, 0xffff888000200000L}))
        .build();
  }

  static final String EXPECTED =
      "[    0.000000] Linux version 6.1.0-synthetic wrapped at the ring end\n"
          + "[    1.234567] two\n"
          + "               lines\n"
          + "[    2.000000] a\\x01\tb\\xffffffe2\\xffffff80\\xffffff99\n"
          + "[123456.789000] Kernel panic - not syncing: synthetic\n";

  private static String dmesg(Vmcore v) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    v.writeDmesg(out);
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path p = tmp.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void kdumpCompressedInEveryCompression(Compression c) throws IOException {
    SyntheticKernel k = kernel();
    byte[] dump =
        new KdumpWriter()
            .compression(c)
            .notes(k.prstatusNotes())
            .vmcoreinfo(k.vmcoreinfo())
            .dumpLevel(31)
            .toBytes(k.image());
    try (Vmcore v = Vmcore.open(write("k.vmcore", dump))) {
      assertThat(v.format()).isEqualTo(InputFormat.VMCORE_KDUMP);
      assertThat(dmesg(v)).isEqualTo(EXPECTED);
      assertThat(v.kernelLog().notes())
          .anyMatch(s -> s.contains("still being written"))
          .anyMatch(s -> s.contains("starts at record 1000"));
    }
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void flattenedWithShuffledAndOverwrittenRecords(Compression c) throws IOException {
    SyntheticKernel k = kernel();
    byte[] dump =
        new KdumpWriter().compression(c).vmcoreinfo(k.vmcoreinfo()).release("").toBytes(k.image());
    byte[] flat = KdumpWriter.flatten(dump, 1000, 7);
    try (Vmcore v = Vmcore.open(write("f.vmcore", flat))) {
      assertThat(v.format()).isEqualTo(InputFormat.VMCORE_FLATTENED);
      assertThat(dmesg(v)).isEqualTo(EXPECTED);
    }
  }

  @Test
  void splitSetRoutesByPfnRange() throws IOException {
    SyntheticKernel k = kernel();
    List<byte[]> parts =
        new KdumpWriter()
            .compression(Compression.ZSTD)
            .vmcoreinfo(k.vmcoreinfo())
            .split(k.image(), 3);
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      files.add(write("s." + i, parts.get(i)));
    }
    try (Vmcore v = Vmcore.open(List.of(files.get(2), files.get(0), files.get(1)))) {
      assertThat(dmesg(v)).isEqualTo(EXPECTED);
    }
    // one part alone reads its own range and says that the rest is missing
    try (Vmcore v = Vmcore.open(files.get(0))) {
      assertThat(v.problems()).anyMatch(s -> s.contains("one part of a split dump"));
    }
  }

  @Test
  void elfCoreWithDirectMapAndPnXnum() throws IOException {
    SyntheticKernel k = kernel();
    for (boolean xnum : new boolean[] {false, true}) {
      byte[] elf =
          new ElfCoreWriter()
              .notes(k.elfNotes())
              .directMapBase(SyntheticKernel.PAGE_OFFSET_BASE)
              .pnXnum(xnum)
              .toBytes(k.image());
      try (Vmcore v = Vmcore.open(write("e.elf", elf))) {
        assertThat(v.format()).isEqualTo(InputFormat.VMCORE_ELF);
        assertThat(dmesg(v)).isEqualTo(EXPECTED);
      }
    }
  }

  @Test
  void physicalOnlyElfIsTranslatedThroughPageTables() throws IOException {
    SyntheticKernel k = kernel().physBase(0x200000).kernelOffset(0x800000).build();
    byte[] elf = new ElfCoreWriter().notes(k.elfNotes()).directMapBase(null).toBytes(k.image());
    try (Vmcore v = Vmcore.open(write("q.elf", elf))) {
      org.ktriage.ingest.elf.ElfCore core = java.util.Objects.requireNonNull(v.elf());
      assertThat(core.physicalOnly()).isTrue();
      assertThat(dmesg(v)).isEqualTo(EXPECTED);
    }
  }

  @Test
  void logRecordsSplitEmbeddedNewlinesAndKeepCallerIds() throws IOException {
    SyntheticKernel k = kernel();
    byte[] dump =
        new KdumpWriter().notes(k.prstatusNotes()).vmcoreinfo(k.vmcoreinfo()).toBytes(k.image());
    DumpContents c = VmcoreReader.lenient().read(List.of(write("k.vmcore", dump)));
    List<LogRecord> log = c.log();
    assertThat(log)
        .extracting(LogRecord::text)
        .containsExactly(
            "Linux version 6.1.0-synthetic wrapped at the ring end",
            "two",
            "lines",
            "a\u0001\tb\u2019",
            "Kernel panic - not syncing: synthetic");
    assertThat(log.get(1).callerId()).isEqualTo("C1");
    assertThat(log.get(3).callerId()).isEqualTo("T77");
    assertThat(log.get(1).seq()).isEqualTo(1001);
    assertThat(log.get(1).timestampNanos()).isEqualTo(1_234_567_891L);
    assertThat(log.get(1).level()).isEqualTo(4);
    assertThat(log.get(2).source().detail()).isEqualTo("printk seq 1001 line 2");
    assertThat(c.completeness().partial()).isFalse();
    assertThat(c.cpus()).extracting(CpuState::cpu).containsExactly(0, 1);
    assertThat(c.cpus().get(1).pid()).isEqualTo(42);
    assertThat(c.cpus().get(1).registers().get("RIP")).isEqualTo(0xffffffff81400020L);
  }

  @Test
  void filteredPagesAreReportedFilteredNotZero() throws IOException {
    SyntheticKernel k = kernel();
    k.image().filter(7000).zeroPage(7001);
    byte[] dump = new KdumpWriter().vmcoreinfo(k.vmcoreinfo()).dumpLevel(31).toBytes(k.image());
    try (Vmcore v = Vmcore.open(write("k.vmcore", dump))) {
      byte[] page = new byte[4096];
      assertThat(v.physicalMemory().readPage(7000, page)).isEqualTo(PageState.FILTERED);
      assertThat(v.physicalMemory().readPage(7001, page)).isEqualTo(PageState.PRESENT);
      assertThat(v.physicalMemory().readPage(7002, page)).isEqualTo(PageState.NOT_DUMPED);
      assertThat(v.physicalMemory().read(7001L * 4096 - 8, 16).gaps())
          .singleElement()
          .satisfies(g -> assertThat(g.state()).isEqualTo(PageState.FILTERED));
    }
  }

  @Test
  void incompleteDumpIsPartial() throws IOException {
    SyntheticKernel k = kernel();
    byte[] dump = new KdumpWriter().vmcoreinfo(k.vmcoreinfo()).incomplete(true).toBytes(k.image());
    DumpContents c = VmcoreReader.lenient().read(List.of(write("k.vmcore", dump)));
    assertThat(c.completeness().partial()).isTrue();
    assertThat(c.completeness().problems()).anyMatch(s -> s.contains("incomplete"));
  }

  @Test
  void oldHeaderVersionWithoutNoteOffsetsStillFindsVmcoreinfo() throws IOException {
    SyntheticKernel k = kernel();
    byte[] dump = new KdumpWriter().vmcoreinfo(k.vmcoreinfo()).headerVersion(3).toBytes(k.image());
    try (Vmcore v = Vmcore.open(write("k.vmcore", dump))) {
      assertThat(dmesg(v)).isEqualTo(EXPECTED);
    }
  }

  @Test
  void structuredPrintkLogOfKernels35To59WithWrapMarker() throws IOException {
    List<LogLine> lines =
        List.of(
            LogLine.of(1_000, 6, "first record before the wrap"),
            LogLine.of(2_000_000, 4, "second\nof two lines"),
            LogLine.of(3_000_000_000L, 0, "third, after the wrap"));
    SyntheticKernel k =
        new SyntheticKernel()
            .structuredLog(true)
            .ring(5, 12)
            .start(0, 4096 - 128)
            .lines(lines)
            .build();
    byte[] dump =
        new KdumpWriter()
            .compression(Compression.LZO)
            .vmcoreinfo(k.vmcoreinfo())
            .toBytes(k.image());
    try (Vmcore v = Vmcore.open(write("old.vmcore", dump))) {
      assertThat(v.kernelLog().ring()).isEqualTo("printk_log");
      assertThat(dmesg(v))
          .isEqualTo(
              "[    0.000001] first record before the wrap\n"
                  + "[    0.002000] second\n"
                  + "               of two lines\n"
                  + "[    3.000000] third, after the wrap\n");
      assertThat(v.kernelLog().records().get(1).callerIdText()).isEqualTo("T1");
    }
  }

  /**
   * Kernels before 3.5 keep the log as plain characters ({@code log_buf}, {@code log_end}); each
   * line carries its {@code <level>} and stamp, a printk of two lines is two lines.
   */
  @Test
  void plainLogBufOfKernelsBefore35() throws IOException {
    List<LogLine> lines =
        List.of(
            LogLine.of(0, 5, "Linux version 2.6.32-754.el6.x86_64"),
            LogLine.of(2_000_000, 4, "second\nof two lines"),
            LogLine.of(3_000_000_000L, 0, "Kernel panic - not syncing: Fatal exception"));
    SyntheticKernel k =
        new SyntheticKernel().plainLog(true).ring(5, 12).start(0, 0).lines(lines).build();
    byte[] dump = new KdumpWriter().vmcoreinfo(k.vmcoreinfo()).toBytes(k.image());
    try (Vmcore v = Vmcore.open(write("plain.vmcore", dump))) {
      assertThat(v.kernelLog().ring()).isEqualTo("log_buf");
      assertThat(v.kernelLog().notes()).isEmpty();
      assertThat(v.kernelLog().records().get(0).level()).isEqualTo(5);
      assertThat(v.kernelLog().records().get(3).level()).isZero();
      assertThat(dmesg(v))
          .isEqualTo(
              """
              [    0.000000] Linux version 2.6.32-754.el6.x86_64
              [    0.002000] second
              [    0.002000] of two lines
              [    3.000000] Kernel panic - not syncing: Fatal exception
              """);
    }
  }

  @Test
  void dumpWithoutVmcoreinfoNoteFindsTheKernelsVmcoreinfoPage() throws IOException {
    SyntheticKernel k = kernel();
    k.image().write(0x600000, k.vmcoreinfo().getBytes(StandardCharsets.US_ASCII));
    byte[] dump = new KdumpWriter().vmcoreinfo("").release("").toBytes(k.image());
    try (Vmcore v = Vmcore.open(write("novi.vmcore", dump))) {
      assertThat(v.problems())
          .anyMatch(s -> s.contains("VMCOREINFO page found at physical 0x600000"));
      assertThat(dmesg(v)).isEqualTo(EXPECTED);
    }
  }

  @Test
  void badSignatureNamesFileAndOffset() throws IOException {
    byte[] junk = "KDUMPXX\0........................".getBytes(StandardCharsets.US_ASCII);
    Path p = write("junk", junk);
    assertThatThrownBy(() -> Vmcore.open(p))
        .isInstanceOf(CorruptDumpException.class)
        .hasMessageStartingWith(p + ": unknown dump signature at offset 0: ");
    SyntheticKernel k = kernel();
    byte[] dump = new KdumpWriter().vmcoreinfo(k.vmcoreinfo()).machine("s390x").toBytes(k.image());
    Path s = write("s390", dump);
    assertThatThrownBy(() -> Vmcore.open(s))
        .isInstanceOf(UnsupportedDumpException.class)
        .hasMessageContaining("s390x");
  }
}
