package org.ktriage.ingest.vmcoreinfo;

import org.ktriage.ingest.bin.Bytes;
import org.ktriage.ingest.bin.CorruptDumpException;

/**
 * The bytes of kernel structs read from a dump (one struct, or an array of them), read at offsets
 * that VMCOREINFO's {@code OFFSET(...)} and {@code SIZE(...)} lines give: every read is checked
 * against the buffer it indexes, so a wrong or hostile VMCOREINFO value becomes a {@link
 * CorruptDumpException} naming the field, never an index error. All fields are little-endian.
 */
public final class StructBytes {
  private final byte[] bytes;
  private final String what;

  /** A view of {@code bytes}; {@code what} names them in messages (e.g. "printk_ringbuffer"). */
  public StructBytes(byte[] bytes, String what) {
    this.bytes = bytes;
    this.what = what;
  }

  /** Length in bytes. */
  public int length() {
    return bytes.length;
  }

  /** The u8 at {@code base + off}. */
  public int readU8(long base, long off, String field) throws CorruptDumpException {
    return Bytes.readU8(bytes, at(base, off, 1, field));
  }

  /** The u16 (LE) at {@code base + off}. */
  public int readU16Le(long base, long off, String field) throws CorruptDumpException {
    return Bytes.readU16Le(bytes, at(base, off, 2, field));
  }

  /** The s32 (LE) at {@code base + off}. */
  public int readI32Le(long base, long off, String field) throws CorruptDumpException {
    return Bytes.readI32Le(bytes, at(base, off, 4, field));
  }

  /** The u32 (LE) at {@code base + off}. */
  public long readU32Le(long base, long off, String field) throws CorruptDumpException {
    return Bytes.readU32Le(bytes, at(base, off, 4, field));
  }

  /** The u64 (LE) at {@code base + off}. */
  public long readU64Le(long base, long off, String field) throws CorruptDumpException {
    return Bytes.readU64Le(bytes, at(base, off, 8, field));
  }

  /** A copy of {@code len} bytes at {@code base + off}. */
  public byte[] copy(long base, long off, int len, String field) throws CorruptDumpException {
    byte[] out = new byte[len];
    System.arraycopy(bytes, at(base, off, len, field), out, 0, len);
    return out;
  }

  private int at(long base, long off, int width, String field) throws CorruptDumpException {
    long end = base + off + width;
    if (base < 0 || off < 0 || width < 0 || end < 0 || end > bytes.length) {
      throw new CorruptDumpException(
          what
              + ": "
              + field
              + " at byte "
              + base
              + " + "
              + off
              + " ("
              + width
              + " bytes) lies outside its "
              + bytes.length
              + " bytes; the VMCOREINFO offset or size is wrong");
    }
    return (int) (base + off);
  }
}
