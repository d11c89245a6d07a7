package org.ktriage.ingest.kernel;

import java.nio.charset.StandardCharsets;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.btf.BtfField;
import org.ktriage.ingest.btf.BtfStruct;

/**
 * One kernel struct read from memory in one piece: its address, its BTF layout and its bytes;
 * fields are read by member path ({@code "tasks.next"}) in little-endian order.
 */
public final class KernelObject {
  private final long address;
  private final BtfStruct layout;
  private final byte[] bytes;

  KernelObject(long address, BtfStruct layout, byte[] bytes) {
    this.address = address;
    this.layout = layout;
    this.bytes = bytes;
  }

  /** Reads a struct of this layout at {@code address}. */
  public static KernelObject read(VirtualMemory memory, BtfStruct layout, long address)
      throws UnreadableInputException {
    long size = layout.size();
    if (size <= 0 || size > (1 << 20)) {
      throw new CorruptKernelDataException(
          "struct " + layout.name() + " has an implausible size " + size);
    }
    byte[] b = new byte[(int) size];
    memory.read(address, b, 0, b.length);
    return new KernelObject(address, layout, b);
  }

  /** Address of the struct. */
  public long address() {
    return address;
  }

  /** The struct's bytes as read (not a copy: callers must not change them). */
  byte[] raw() {
    return bytes;
  }

  /** Its layout. */
  public BtfStruct layout() {
    return layout;
  }

  /** Address of a member. */
  public long addressOf(String path) throws UnreadableInputException {
    return address + layout.offset(path);
  }

  /** An unsigned integer member of 1, 2, 4 or 8 bytes (bitfields are extracted). */
  public long unsigned(String path) throws UnreadableInputException {
    BtfField f = layout.member(path);
    if (f.isBitfield()) {
      long word = le(f.byteOffset(), 8);
      return (word >>> (f.bitOffset() & 7)) & ((1L << f.bitfieldSize()) - 1);
    }
    int size = (int) f.size();
    if (size != 1 && size != 2 && size != 4 && size != 8) {
      throw new CorruptKernelDataException(
          "member " + layout.name() + "." + path + " is " + size + " bytes, not an integer");
    }
    return le(f.byteOffset(), size);
  }

  /** A signed integer member (sign-extended from its width). */
  public long signed(String path) throws UnreadableInputException {
    BtfField f = layout.member(path);
    long v = unsigned(path);
    int bits = f.isBitfield() ? f.bitfieldSize() : (int) f.size() * 8;
    return bits >= 64 ? v : (v << (64 - bits)) >> (64 - bits);
  }

  /** A char-array member as a string up to its first NUL. */
  public String string(String path) throws UnreadableInputException {
    BtfField f = layout.member(path);
    int start = (int) f.byteOffset();
    int end = start;
    int limit = (int) Math.min(bytes.length, start + f.size());
    while (end < limit && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, start, end - start, StandardCharsets.UTF_8);
  }

  private long le(long offset, int size) throws CorruptKernelDataException {
    int avail = (int) Math.min(size, bytes.length - offset);
    if (offset < 0 || avail <= 0) {
      throw new CorruptKernelDataException(
          "offset " + offset + " outside struct " + layout.name() + " of " + bytes.length);
    }
    long v = 0;
    for (int i = avail - 1; i >= 0; i--) {
      v = v << 8 | (bytes[(int) offset + i] & 0xffL);
    }
    return v;
  }
}
