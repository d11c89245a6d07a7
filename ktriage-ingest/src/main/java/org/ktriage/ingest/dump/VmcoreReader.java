package org.ktriage.ingest.dump;

import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.Strictness;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.bin.MissingMemoryException;
import org.ktriage.ingest.kallsyms.KallsymsTable;
import org.ktriage.ingest.kdump.KdumpHeader;
import org.ktriage.ingest.mm.KernelMemory;
import org.ktriage.ingest.mm.X86_64Translator;
import org.ktriage.ingest.printk.KernelLog;
import org.ktriage.ingest.printk.PrintkRecord;
import org.ktriage.ingest.vmcoreinfo.VmcoreInfo;
import org.ktriage.model.Completeness;
import org.ktriage.model.CpuState;
import org.ktriage.model.KernelInfo;
import org.ktriage.model.LogRecord;
import org.ktriage.model.MemoryLayout;
import org.ktriage.model.SourceSpan;

/**
 * Reads a dump into {@link DumpContents}: the kernel log, CPU states, kernel facts and
 * completeness. Strict mode throws on the first part that cannot be read; lenient mode records it
 * and returns a partial result.
 */
public final class VmcoreReader {
  private final Strictness strictness;
  private final @Nullable Path systemMap;

  /** A reader; {@code systemMap} symbolizes kernels without kallsyms in VMCOREINFO (before 6.0). */
  public VmcoreReader(Strictness strictness, @Nullable Path systemMap) {
    this.strictness = strictness;
    this.systemMap = systemMap;
  }

  /** A lenient reader without System.map. */
  public static VmcoreReader lenient() {
    return new VmcoreReader(Strictness.LENIENT, null);
  }

  /** Reads one dump (or the parts of one split dump). */
  public DumpContents read(List<Path> files) throws IOException {
    try (Vmcore v = Vmcore.open(files)) {
      return read(v);
    }
  }

  /** Reads an opened dump. */
  public DumpContents read(Vmcore v) throws IOException {
    if (systemMap != null) {
      v.useSystemMap(systemMap);
    }
    List<String> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    boolean partial = false;
    KdumpHeader h = v.kdumpHeader();
    if (h != null && h.dumpLevel() != 0) {
      notes.add(
          "dump level "
              + h.dumpLevel()
              + ": "
              + filteredWords(h.dumpLevel())
              + " pages were filtered out of the dump");
    }
    List<LogRecord> log = new ArrayList<>();
    try {
      KernelLog kl = v.kernelLog();
      log = toLogRecords(v.path(), kl.records());
      if (!kl.problems().isEmpty()) {
        partial = true;
        problems.addAll(kl.problems());
      }
      notes.addAll(kl.notes());
    } catch (UnreadableInputException e) {
      if (strictness == Strictness.STRICT) {
        throw e;
      }
      partial = true;
      problems.add("kernel log not read: " + e.getMessage());
    }
    KernelMemory km = null;
    try {
      km = v.kernelMemory();
    } catch (UnreadableInputException e) {
      // already reported through the log, or no log needed
    }
    KallsymsTable syms = symbols(v, km, notes, problems);
    List<String> cpuProblems = new ArrayList<>();
    List<CpuState> cpus =
        new CpuStateReader(v.path(), v.arch(), v.notes(), km, syms, pacMask(v), cpuProblems).read();
    notes.addAll(cpuProblems);
    List<String> dumpProblems = v.problems();
    if (!dumpProblems.isEmpty()) {
      partial = true;
      problems.addAll(0, dumpProblems);
    }
    problems.addAll(notes);
    return new DumpContents(
        v.path(),
        v.format(),
        kernelInfo(v, km, syms),
        log,
        cpus,
        new Completeness(partial, problems));
  }

  /**
   * The kernel's symbols: the System.map given, the kallsyms VMCOREINFO points at (v6.0+), or the
   * tables found in the kernel image; what was used or missed is added to {@code notes}, a failure
   * to {@code problems} (thrown when strict).
   */
  private @Nullable KallsymsTable symbols(
      Vmcore v, @Nullable KernelMemory km, List<String> notes, List<String> problems)
      throws IOException {
    KallsymsTable syms = null;
    try {
      VmcoreInfo vi = v.vmcoreinfo();
      if (systemMap != null) {
        Long ko = vi != null ? vi.kernelOffset() : null;
        syms = KallsymsTable.fromSystemMap(systemMap, ko != null ? ko : 0);
      } else if (vi != null && KallsymsTable.available(vi) && km != null) {
        syms = v.kallsyms();
      } else if (vi != null && km != null) {
        // kernels before 6.0: the tables found in the kernel image by their structure
        try {
          syms = v.kallsyms();
          notes.add(
              "no kallsyms in VMCOREINFO (kernels before 6.0): "
                  + syms.size()
                  + " symbols taken from the kallsyms tables found in the kernel image");
        } catch (UnreadableInputException e) {
          notes.add(
              "no kallsyms in VMCOREINFO (kernels before 6.0) and none found in the kernel image:"
                  + " CPU stacks are not symbolized; pass a System.map");
        }
      } else {
        notes.add(
            "no kallsyms in VMCOREINFO (kernels before 6.0): CPU stacks are not symbolized; pass a System.map");
      }
    } catch (UnreadableInputException e) {
      if (strictness == Strictness.STRICT) {
        throw e;
      }
      problems.add("kernel symbols not read: " + e.getMessage());
    }
    return syms;
  }

  private static String filteredWords(int level) {
    List<String> w = new ArrayList<>();
    String[] names = {"zero", "non-private cache", "private cache", "user", "free"};
    for (int i = 0; i < names.length; i++) {
      if ((level & (1 << i)) != 0) {
        w.add(names[i]);
      }
    }
    return String.join(", ", w);
  }

  /** One LogRecord per printed line of each record (embedded newlines split). */
  static List<LogRecord> toLogRecords(String path, List<PrintkRecord> records) {
    List<LogRecord> out = new ArrayList<>(records.size());
    var dec =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    for (PrintkRecord r : records) {
      if (r.dataless()) {
        continue;
      }
      String text;
      try {
        text = dec.decode(java.nio.ByteBuffer.wrap(r.text())).toString();
      } catch (java.nio.charset.CharacterCodingException e) {
        text = new String(r.text(), StandardCharsets.ISO_8859_1);
      }
      String caller = r.callerId() >= 0 ? r.callerIdText() : null;
      String[] lines = text.split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        String detail = "printk seq " + r.seq() + (lines.length > 1 ? " line " + (i + 1) : "");
        out.add(
            new LogRecord(
                r.seq(),
                r.timestampNanos(),
                r.level(),
                caller,
                lines[i],
                SourceSpan.binary(path, detail)));
      }
    }
    return out;
  }

  private static KernelInfo kernelInfo(
      Vmcore v, @Nullable KernelMemory km, @Nullable KallsymsTable syms) {
    VmcoreInfo vi = v.vmcoreinfo();
    KdumpHeader h = v.kdumpHeader();
    String release = vi != null ? vi.osRelease() : null;
    if (release == null && h != null && !h.release().isEmpty()) {
      release = h.release();
    }
    String version = h != null && !h.versionString().isEmpty() ? h.versionString() : null;
    String host = h != null && !h.nodename().isEmpty() ? h.nodename() : null;
    return new KernelInfo(release, version, v.arch(), host, null, null, layout(v, vi, km, syms));
  }

  private static MemoryLayout layout(
      Vmcore v, @Nullable VmcoreInfo vi, @Nullable KernelMemory km, @Nullable KallsymsTable syms) {
    if (vi == null) {
      return MemoryLayout.unknown();
    }
    Long kernelOffset = vi.kernelOffset();
    if (v.arch().equals("arm64")) {
      return new MemoryLayout(
          null,
          vi.number("VMALLOC_START"),
          vi.number("VMEMMAP_START"),
          kernelOffset,
          vi.number("MODULES_VADDR"),
          vi.number("MODULES_END"),
          false);
    }
    Long l5 = vi.number("pgtable_l5_enabled");
    Long imageSize = vi.number("KERNEL_IMAGE_SIZE");
    long modulesStart =
        X86_64Translator.START_KERNEL_MAP + (imageSize != null ? imageSize : 1L << 30);
    Long pob = readVar(km, syms, "page_offset_base");
    if (pob == null && km != null && km.translator() instanceof X86_64Translator t) {
      pob = t.pageOffsetBase();
    }
    return new MemoryLayout(
        pob,
        readVar(km, syms, "vmalloc_base"),
        readVar(km, syms, "vmemmap_base"),
        kernelOffset,
        modulesStart,
        0xffffffffff000000L,
        l5 != null && l5 == 1);
  }

  private static @Nullable Long readVar(
      @Nullable KernelMemory km, @Nullable KallsymsTable syms, String name) {
    if (km == null || syms == null) {
      return null;
    }
    Long a = syms.addressOf(name);
    if (a == null) {
      return null;
    }
    try {
      return km.readU64(a, name);
    } catch (MissingMemoryException e) {
      return null;
    }
  }

  /** NUMBER(KERNELPACMASK) of arm64 VMCOREINFO (v5.7+), 0 when absent. */
  static long pacMask(Vmcore v) {
    VmcoreInfo vi = v.vmcoreinfo();
    Long mask = vi == null ? null : vi.number("KERNELPACMASK");
    return mask == null ? 0 : mask;
  }
}
