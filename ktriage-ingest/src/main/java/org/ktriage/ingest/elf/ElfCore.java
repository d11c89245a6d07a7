package org.ktriage.ingest.elf;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.bin.Bytes;
import org.ktriage.ingest.bin.CorruptDumpException;
import org.ktriage.ingest.bin.DumpSource;
import org.ktriage.ingest.bin.ReadLimits;
import org.ktriage.ingest.bin.UnsupportedDumpException;
import org.ktriage.ingest.mm.PageState;
import org.ktriage.ingest.mm.PhysicalMemory;

/**
 * An ELF64 little-endian core file (kdump {@code /proc/vmcore} copy, {@code makedumpfile -E}, QEMU
 * {@code dump-guest-memory}): the 64-byte {@code Elf64_Ehdr}, {@code e_phnum} 56-byte {@code
 * Elf64_Phdr}s at {@code e_phoff} (real count in section header 0's {@code sh_info} when {@code
 * e_phnum} is PN_XNUM 0xffff), PT_NOTE segments with the notes, PT_LOAD segments with memory.
 */
public final class ElfCore implements PhysicalMemory {
  /** ELF e_machine of x86_64. */
  public static final int EM_X86_64 = 62;

  /** ELF e_machine of aarch64. */
  public static final int EM_AARCH64 = 183;

  private static final int PT_LOAD = 1;
  private static final int PT_NOTE = 4;
  private static final int PN_XNUM = 0xffff;
  private static final int PAGE_SIZE = 4096;

  private final DumpSource src;
  private final int machine;
  private final boolean incomplete;
  private final List<ElfNote> notes;
  private final LoadSegment[] byPhys;
  private final long[] maxEndUpTo;
  private final List<String> problems = new ArrayList<>();

  private ElfCore(
      DumpSource src,
      int machine,
      boolean incomplete,
      List<ElfNote> notes,
      List<LoadSegment> loads,
      List<String> problems) {
    this.src = src;
    this.machine = machine;
    this.incomplete = incomplete;
    this.notes = List.copyOf(notes);
    this.byPhys = loads.toArray(new LoadSegment[0]);
    Arrays.sort(byPhys, Comparator.comparingLong(LoadSegment::physAddr));
    this.maxEndUpTo = new long[byPhys.length];
    long max = Long.MIN_VALUE;
    for (int i = 0; i < byPhys.length; i++) {
      max = Math.max(max, byPhys[i].physEnd());
      maxEndUpTo[i] = max;
    }
    this.problems.addAll(problems);
  }

  /** True when {@code head} starts with the ELF magic. */
  public static boolean sniff(byte[] head) {
    return head.length >= 4
        && head[0] == 0x7f
        && head[1] == 'E'
        && head[2] == 'L'
        && head[3] == 'F';
  }

  /** Reads the headers and notes of an ELF core; memory is read later, page by page. */
  public static ElfCore open(DumpSource src) throws IOException {
    String file = src.name();
    byte[] eh = src.readFully(0, 64, "ELF header");
    checkIdent(file, eh);
    int machine = Bytes.readU16Le(eh, 18);
    long phoff = Bytes.readU64Le(eh, 32);
    long shoff = Bytes.readU64Le(eh, 40);
    int flags = Bytes.readI32Le(eh, 48);
    int phentsize = Bytes.readU16Le(eh, 54);
    long phnum = Bytes.readU16Le(eh, 56);
    if (phentsize != 56) {
      throw CorruptDumpException.at(
          file, 54, "ELF e_phentsize " + phentsize + ": 56 expected for ELF64");
    }
    List<String> problems = new ArrayList<>();
    phnum = programHeaders(src, phnum, phoff, shoff, problems);
    NoteSegments noteReader = new NoteSegments(src);
    List<LoadSegment> loads = new ArrayList<>();
    final int batch = 1024;
    for (long i = 0; i < phnum; i += batch) {
      int n = (int) Math.min(batch, phnum - i);
      byte[] ph = src.readFully(phoff + i * 56, n * 56, "program headers");
      for (int j = 0; j < n; j++) {
        int o = j * 56;
        int ptype = Bytes.readI32Le(ph, o);
        long off = Bytes.readU64Le(ph, o + 8);
        long vaddr = Bytes.readU64Le(ph, o + 16);
        long paddr = Bytes.readU64Le(ph, o + 24);
        long filesz = Bytes.readU64Le(ph, o + 32);
        long memsz = Bytes.readU64Le(ph, o + 40);
        long at = phoff + (i + j) * 56;
        if (ptype == PT_NOTE) {
          if (filesz != 0) {
            noteReader.read(at, off, filesz, problems);
          }
        } else if (ptype == PT_LOAD) {
          if (memsz < 0 || filesz < 0 || memsz > (1L << 52) || (filesz > memsz && memsz != 0)) {
            problems.add(file + ": PT_LOAD at offset " + at + " has impossible sizes; ignored");
            continue;
          }
          if (off == -1L) {
            filesz = 0;
          }
          loads.add(new LoadSegment(off, vaddr, paddr, filesz, Math.max(memsz, filesz)));
        }
      }
    }
    checkDataEnd(src, loads, problems);
    boolean incomplete = (flags & 1) != 0;
    if (incomplete) {
      problems.add(file + ": ELF e_flags marks the dump incomplete (the writer ran out of space)");
    }
    return new ElfCore(src, machine, incomplete, noteReader.notes, loads, problems);
  }

  /** The identification bytes: a 64-bit little-endian ELF core. */
  private static void checkIdent(String file, byte[] eh) throws IOException {
    if (!sniff(eh)) {
      throw CorruptDumpException.at(
          file, 0, "bad ELF magic: \"\\x7fELF\" expected, got " + Bytes.quote(eh, 0, 4));
    }
    if (eh[4] != 2) {
      throw new UnsupportedDumpException(
          file + ": ELF class " + eh[4] + " at offset 4: only 64-bit (2) cores are read");
    }
    if (eh[5] != 1) {
      throw new UnsupportedDumpException(
          file + ": ELF data encoding " + eh[5] + " at offset 5: only little-endian (1) is read");
    }
    int type = Bytes.readU16Le(eh, 16);
    if (type != 4) {
      throw CorruptDumpException.at(
          file, 16, "ELF e_type " + type + ": a core file (4, ET_CORE) expected");
    }
  }

  /**
   * The program header count: from section header 0 when e_phnum is PN_XNUM, cut to what the file
   * holds (a truncated dump) and to {@link ReadLimits#PROGRAM_HEADERS}.
   */
  private static long programHeaders(
      DumpSource src, long phnum, long phoff, long shoff, List<String> problems)
      throws IOException {
    String file = src.name();
    if (phnum == PN_XNUM) {
      byte[] sh = src.readFully(shoff, 64, "section header 0 (PN_XNUM program header count)");
      phnum = Bytes.readU32Le(sh, 44);
    }
    if (phoff < 0 || phoff > src.size()) {
      throw CorruptDumpException.at(
          file, 32, "e_phoff " + phoff + " lies outside the file of " + src.size() + " bytes");
    }
    if ((src.size() - phoff) / 56 < phnum) {
      // a cut file: read the headers that are there (the notes come first in kdump's cores)
      long fit = (src.size() - phoff) / 56;
      problems.add(
          file
              + ": "
              + phnum
              + " program headers at offset "
              + phoff
              + " do not fit in the file of "
              + src.size()
              + " bytes: the dump is truncated; "
              + fit
              + " read");
      phnum = fit;
    }
    if (phnum > ReadLimits.PROGRAM_HEADERS) {
      problems.add(
          file
              + ": "
              + phnum
              + " program headers claimed at offset "
              + phoff
              + "; only the first "
              + ReadLimits.PROGRAM_HEADERS
              + " are read (ReadLimits.PROGRAM_HEADERS)");
      phnum = ReadLimits.PROGRAM_HEADERS;
    }
    return phnum;
  }

  /** A problem when the PT_LOAD data runs past the end of the file. */
  private static void checkDataEnd(DumpSource src, List<LoadSegment> loads, List<String> problems)
      throws IOException {
    String file = src.name();
    long dataEnd = 0;
    for (LoadSegment s : loads) {
      if (s.fileSize() > 0 && s.fileOffset() >= 0) {
        dataEnd = Math.max(dataEnd, s.fileOffset() + s.fileSize());
      }
    }
    if (dataEnd > src.size()) {
      problems.add(
          file
              + ": PT_LOAD data ends at offset "
              + dataEnd
              + " past the end of the file ("
              + src.size()
              + " bytes): the dump is truncated");
    }
  }

  /** e_machine. */
  public int machine() {
    return machine;
  }

  /** True when the writer flagged the dump as incomplete. */
  public boolean incomplete() {
    return incomplete;
  }

  /** All notes in file order. */
  public List<ElfNote> notes() {
    return notes;
  }

  /** PT_LOAD segments in physical address order. */
  public List<LoadSegment> loads() {
    return List.of(byPhys);
  }

  /** The file name for messages. */
  public String name() {
    return src.name();
  }

  /**
   * True when no PT_LOAD carries a kernel virtual address (QEMU without paging writes p_vaddr ==
   * p_paddr).
   */
  public boolean physicalOnly() {
    for (LoadSegment s : byPhys) {
      if (s.virtAddr() != s.physAddr()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The direct-map base {@code p_vaddr - p_paddr} of a RAM segment below the kernel-image map, or
   * null (what makedumpfile does).
   */
  public @Nullable Long directMapBase() {
    for (LoadSegment s : byPhys) {
      long v = s.virtAddr();
      if (v != s.physAddr()
          && v != -1L
          && Long.compareUnsigned(v, 0xffff800000000000L) >= 0
          && Long.compareUnsigned(v, 0xffffffff80000000L) < 0) {
        return v - s.physAddr();
      }
    }
    return null;
  }

  /** phys_base from the kernel-text segment ({@code p_paddr - (p_vaddr - __START_KERNEL_map)}). */
  public @Nullable Long physBaseFromKernelText() {
    for (LoadSegment s : byPhys) {
      if (Long.compareUnsigned(s.virtAddr(), 0xffffffff80000000L) >= 0 && s.virtAddr() != -1L) {
        return s.physAddr() - (s.virtAddr() - 0xffffffff80000000L);
      }
    }
    return null;
  }

  @Override
  public int pageSize() {
    return PAGE_SIZE;
  }

  @Override
  public List<String> problems() {
    return problems;
  }

  /** Bytes of {@code s} the file really holds (its p_filesz, cut at the end of the file). */
  private long storedLength(LoadSegment s) {
    long off = s.fileOffset();
    if (s.fileSize() <= 0 || off < 0 || off >= src.size()) {
      return 0;
    }
    return Math.min(s.fileSize(), src.size() - off);
  }

  /** The PT_LOAD bytes the file holds. */
  @Override
  public long storedBytes() {
    long sum = 0;
    for (LoadSegment s : byPhys) {
      sum += storedLength(s); // each at most the file size: no overflow for 2^16 segments
    }
    return sum;
  }

  /** The first pfn from {@code pfn} some PT_LOAD stores bytes of (within the file). */
  @Override
  public long nextStoredPfn(long pfn, long limit) {
    if (pfn >= limit || pfn < 0 || pfn > Long.MAX_VALUE / PAGE_SIZE) {
      return pfn < limit ? pfn : limit;
    }
    long addr = pfn * PAGE_SIZE;
    long best = limit;
    for (LoadSegment s : byPhys) {
      if (s.physAddr() >= 0 && s.physAddr() / PAGE_SIZE >= best) {
        break; // in physical address order: no later segment starts sooner
      }
      long stored = storedLength(s);
      if (stored == 0 || s.physAddr() < 0 || s.physAddr() > Long.MAX_VALUE - stored) {
        continue;
      }
      long end = s.physAddr() + stored;
      if (end <= addr) {
        continue;
      }
      long first = Math.max(addr, s.physAddr()) / PAGE_SIZE;
      best = Math.min(best, first);
      if (first == pfn) {
        break;
      }
    }
    return best;
  }

  @Override
  public PageState readPage(long pfn, byte[] dst) throws IOException {
    long pa = pfn * PAGE_SIZE;
    Arrays.fill(dst, 0, PAGE_SIZE, (byte) 0);
    PageState worst = PageState.PRESENT;
    int done = 0;
    while (done < PAGE_SIZE) {
      long addr = pa + done;
      LoadSegment s = covering(addr);
      if (s == null) {
        // advance to the next segment start or the page end
        long next = nextStartAfter(addr);
        int n = (int) Math.min(PAGE_SIZE - done, next - addr);
        worst = worse(worst, PageState.NOT_DUMPED);
        done += n;
        continue;
      }
      long rel = addr - s.physAddr();
      int n = (int) Math.min(PAGE_SIZE - done, s.physEnd() - addr);
      if (rel >= s.fileSize()) {
        worst = worse(worst, PageState.FILTERED);
      } else {
        int m = (int) Math.min(n, s.fileSize() - rel);
        int got = src.read(s.fileOffset() + rel, dst, done, m);
        if (got != m) {
          worst = worse(worst, PageState.UNREADABLE);
          noteTruncation(s.fileOffset() + rel);
        }
        if (m < n) {
          worst = worse(worst, PageState.FILTERED);
        }
      }
      done += n;
    }
    if (worst != PageState.PRESENT) {
      Arrays.fill(dst, 0, PAGE_SIZE, (byte) 0);
    }
    return worst;
  }

  private boolean truncationNoted;

  private void noteTruncation(long off) {
    if (!truncationNoted) {
      truncationNoted = true;
      problems.add(
          src.name()
              + ": memory data at offset "
              + off
              + " lies past the end of the file ("
              + src.size()
              + " bytes): the dump is truncated");
    }
  }

  private static PageState worse(PageState a, PageState b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private @Nullable LoadSegment covering(long addr) {
    int i = lastStartAtOrBefore(addr);
    for (int j = i; j >= 0 && maxEndUpTo[j] > addr; j--) {
      LoadSegment s = byPhys[j];
      if (s.physAddr() <= addr && addr < s.physEnd()) {
        // prefer a segment that stores the byte over one whose tail is not stored
        if (addr - s.physAddr() < s.fileSize()) {
          return s;
        }
        LoadSegment better = storingBefore(j - 1, addr);
        return better != null ? better : s;
      }
    }
    return null;
  }

  private @Nullable LoadSegment storingBefore(int from, long addr) {
    for (int j = from; j >= 0 && maxEndUpTo[j] > addr; j--) {
      LoadSegment s = byPhys[j];
      if (s.physAddr() <= addr && addr - s.physAddr() < s.fileSize()) {
        return s;
      }
    }
    return null;
  }

  private int lastStartAtOrBefore(long addr) {
    int lo = 0;
    int hi = byPhys.length - 1;
    int ans = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (byPhys[mid].physAddr() <= addr) {
        ans = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return ans;
  }

  private long nextStartAfter(long addr) {
    int i = lastStartAtOrBefore(addr) + 1;
    return i < byPhys.length ? byPhys[i].physAddr() : Long.MAX_VALUE;
  }

  @Override
  public void close() throws IOException {
    src.close();
  }
}
