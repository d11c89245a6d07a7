package org.ktriage.testkit.dump;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes a small ELF64 little-endian core: Elf64_Ehdr, one PT_NOTE and one PT_LOAD per run of
 * stored pages (p_vaddr = direct-map address, or = p_paddr like QEMU without paging), optionally
 * with the PN_XNUM program-header count in section header 0 and the incomplete flag.
 */
public final class ElfCoreWriter {
  private int machine = 62;
  private List<Note> notes = List.of();
  private @Nullable Long directMapBase;
  private boolean pnXnum;
  private boolean incomplete;

  /** x86_64 by default. */
  public ElfCoreWriter machine(int eMachine) {
    this.machine = eMachine;
    return this;
  }

  /** Notes to write into the PT_NOTE segment. */
  public ElfCoreWriter notes(List<Note> n) {
    this.notes = List.copyOf(n);
    return this;
  }

  /** p_vaddr = base + p_paddr; null writes p_vaddr = p_paddr. */
  public ElfCoreWriter directMapBase(@Nullable Long base) {
    this.directMapBase = base;
    return this;
  }

  /** Store the program-header count in section header 0 (e_phnum = 0xffff). */
  public ElfCoreWriter pnXnum(boolean on) {
    this.pnXnum = on;
    return this;
  }

  /** Set e_flags bit 0 (makedumpfile's DUMP_ELF_INCOMPLETE). */
  public ElfCoreWriter incomplete(boolean on) {
    this.incomplete = on;
    return this;
  }

  /** The core as bytes. */
  public byte[] toBytes(PhysicalImage image) {
    int ps = PhysicalImage.PAGE_SIZE;
    List<long[]> runs = new ArrayList<>(); // {startPfn, pages}
    for (Map.Entry<Long, byte[]> e : image.pages().entrySet()) {
      long pfn = e.getKey();
      long @Nullable [] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
      if (last != null && last[0] + last[1] == pfn) {
        last[1]++;
      } else {
        runs.add(new long[] {pfn, 1});
      }
    }
    byte[] noteBlob = Note.encode(notes);
    int phnum = 1 + runs.size();
    long phoff = 64;
    long shoff = pnXnum ? phoff + 56L * phnum : 0;
    long noteOff = phoff + 56L * phnum + (pnXnum ? 64 : 0);
    long dataOff = (noteOff + noteBlob.length + ps - 1) / ps * ps;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.writeBytes(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    LittleEndianOut.u16(o, 4);
    LittleEndianOut.u16(o, machine);
    LittleEndianOut.u32(o, 1);
    LittleEndianOut.u64(o, 0);
    LittleEndianOut.u64(o, phoff);
    LittleEndianOut.u64(o, shoff);
    LittleEndianOut.u32(o, incomplete ? 1 : 0);
    LittleEndianOut.u16(o, 64);
    LittleEndianOut.u16(o, 56);
    LittleEndianOut.u16(o, pnXnum ? 0xffff : phnum);
    LittleEndianOut.u16(o, pnXnum ? 64 : 0);
    LittleEndianOut.u16(o, pnXnum ? 1 : 0);
    LittleEndianOut.u16(o, 0);
    phdr(o, 4, noteOff, 0, 0, noteBlob.length, noteBlob.length);
    long off = dataOff;
    for (long[] r : runs) {
      long pa = r[0] * ps;
      long va = directMapBase == null ? pa : directMapBase + pa;
      phdr(o, 1, off, va, pa, r[1] * ps, r[1] * ps);
      off += r[1] * ps;
    }
    if (pnXnum) {
      byte[] sh = new byte[64];
      LittleEndianOut.putU32(sh, 44, phnum);
      o.writeBytes(sh);
    }
    o.writeBytes(noteBlob);
    while (o.size() < dataOff) {
      o.write(0);
    }
    for (long[] r : runs) {
      for (long p = r[0]; p < r[0] + r[1]; p++) {
        o.writeBytes(java.util.Objects.requireNonNull(image.pages().get(p)));
      }
    }
    return o.toByteArray();
  }

  /** Writes the core to a file. */
  public void write(Path file, PhysicalImage image) throws IOException {
    Files.write(file, toBytes(image));
  }

  private static void phdr(
      ByteArrayOutputStream o, int type, long off, long va, long pa, long filesz, long memsz) {
    LittleEndianOut.u32(o, type);
    LittleEndianOut.u32(o, 7);
    LittleEndianOut.u64(o, off);
    LittleEndianOut.u64(o, va);
    LittleEndianOut.u64(o, pa);
    LittleEndianOut.u64(o, filesz);
    LittleEndianOut.u64(o, memsz);
    LittleEndianOut.u64(o, 4096);
  }
}
