package org.ktriage.ingest.btf;

import static org.ktriage.ingest.btf.Btf.u16;
import static org.ktriage.ingest.btf.Btf.u32;

import java.util.Arrays;
import java.util.Objects;

/**
 * The sections of a BTF blob as its {@code struct btf_header} places them, each offset and length
 * checked against the blob, and the offset of every {@code btf_type} in the type section (each kind
 * known, its vlen data inside the section).
 */
final class BtfSections {
  private static final int TYPE_HEADER_BYTES = 12;

  private final int strOff;
  private final int strLen;
  private final int[] typeOffsets;

  private BtfSections(int strOff, int strLen, int[] typeOffsets) {
    this.strOff = strOff;
    this.strLen = strLen;
    this.typeOffsets = typeOffsets;
  }

  /** Where the string section starts. */
  int strOff() {
    return strOff;
  }

  /** The string section's length. */
  int strLen() {
    return strLen;
  }

  /** The offset of each type, in id order (not copied: the caller keeps it unchanged). */
  int[] typeOffsets() {
    return typeOffsets;
  }

  /** Reads the header and walks the type section; {@code base}: not a split blob. */
  static BtfSections read(byte[] blob, String source, boolean base) throws CorruptBtfException {
    if (blob.length < 24) {
      throw new CorruptBtfException(
          source, 0, "header needs 24 bytes, blob has " + blob.length + " bytes");
    }
    int magic = u16(blob, 0);
    if (magic != Btf.MAGIC) {
      throw new CorruptBtfException(
          source,
          0,
          String.format(
              "magic 0xeb9f expected, got 0x%04x%s",
              magic, magic == 0x9feb ? " (big-endian BTF is not supported)" : ""));
    }
    int version = blob[2] & 0xff;
    if (version != 1) {
      throw new CorruptBtfException(source, 2, "version 1 expected, got " + version);
    }
    long hdrLen = u32(blob, 4);
    if (hdrLen < 24 || hdrLen > blob.length) {
      throw new CorruptBtfException(
          source, 4, "hdr_len " + hdrLen + " outside [24, " + blob.length + "]");
    }
    long typeOff = hdrLen + u32(blob, 8);
    long typeLen = u32(blob, 12);
    long strOff = hdrLen + u32(blob, 16);
    long strLenL = u32(blob, 20);
    if (typeOff + typeLen > blob.length) {
      throw new CorruptBtfException(
          source,
          8,
          "type section [" + typeOff + ", +" + typeLen + ") beyond blob end " + blob.length);
    }
    if (strOff + strLenL > blob.length) {
      throw new CorruptBtfException(
          source,
          16,
          "string section [" + strOff + ", +" + strLenL + ") beyond blob end " + blob.length);
    }
    if (typeOff % 4 != 0) {
      throw new CorruptBtfException(source, 8, "type section offset " + typeOff + " not aligned");
    }
    if (strLenL == 0 || blob[(int) (strOff + strLenL - 1)] != 0) {
      throw new CorruptBtfException(
          source, strOff + Math.max(0, strLenL - 1), "string section does not end with NUL");
    }
    if (base && blob[(int) strOff] != 0) {
      throw new CorruptBtfException(source, strOff, "string section does not start with NUL");
    }
    int typeStart = (int) typeOff;
    int typeEnd = (int) (typeOff + typeLen);
    int[] offsets = new int[Math.max(16, (int) Math.min(typeLen / TYPE_HEADER_BYTES, 1 << 20))];
    int count = 0;
    int pos = typeStart;
    while (pos < typeEnd) {
      if (typeEnd - pos < TYPE_HEADER_BYTES) {
        throw new CorruptBtfException(
            source, pos, "type section ends inside a btf_type (" + (typeEnd - pos) + " bytes)");
      }
      int info = (int) u32(blob, pos + 4);
      int kindId = (info >>> 24) & 0x1f;
      BtfKind kind = BtfKind.byId(kindId);
      if (kind == null || kind == BtfKind.UNKN) {
        throw new CorruptBtfException(source, pos + 4, "unknown BTF kind " + kindId);
      }
      int vlen = info & 0xffff;
      long next = (long) pos + TYPE_HEADER_BYTES + kind.extraBytes(vlen);
      if (next > typeEnd) {
        throw new CorruptBtfException(
            source, pos, kind + " with vlen " + vlen + " runs past the type section end");
      }
      if (count == offsets.length) {
        offsets = Arrays.copyOf(offsets, offsets.length * 2);
      }
      offsets[count++] = pos;
      pos = (int) next;
    }
    return new BtfSections((int) strOff, (int) strLenL, Arrays.copyOf(offsets, count));
  }

  /**
   * Checks every name offset against the string section's end ({@code strEnd}, base strings
   * included) and every type reference against {@code last}.
   */
  void validateReferences(byte[] blob, String source, int last, long strEnd)
      throws CorruptBtfException {
    for (int i = 0; i < typeOffsets.length; i++) {
      int pos = typeOffsets[i];
      checkName(source, strEnd, pos, u32(blob, pos));
      int info = (int) u32(blob, pos + 4);
      BtfKind kind = Objects.requireNonNull(BtfKind.byId((info >>> 24) & 0x1f));
      int vlen = info & 0xffff;
      int data = pos + TYPE_HEADER_BYTES;
      if (kind.refersToType()) {
        checkRef(source, pos + 8, u32(blob, pos + 8), last);
      }
      switch (kind) {
        case ARRAY -> {
          checkRef(source, data, u32(blob, data), last);
          checkRef(source, data + 4, u32(blob, data + 4), last);
        }
        case STRUCT, UNION -> {
          for (int m = 0; m < vlen; m++) {
            int e = data + 12 * m;
            checkName(source, strEnd, e, u32(blob, e));
            checkRef(source, e + 4, u32(blob, e + 4), last);
          }
        }
        case ENUM, ENUM64 -> {
          int width = kind == BtfKind.ENUM ? 8 : 12;
          for (int m = 0; m < vlen; m++) {
            checkName(source, strEnd, data + width * m, u32(blob, data + width * m));
          }
        }
        case FUNC_PROTO -> {
          for (int m = 0; m < vlen; m++) {
            int e = data + 8 * m;
            checkName(source, strEnd, e, u32(blob, e));
            checkRef(source, e + 4, u32(blob, e + 4), last);
          }
        }
        case DATASEC -> {
          for (int m = 0; m < vlen; m++) {
            checkRef(source, data + 12 * m, u32(blob, data + 12 * m), last);
          }
        }
        default -> {}
      }
    }
  }

  private void checkName(String source, long strEnd, int at, long nameOff)
      throws CorruptBtfException {
    if (nameOff >= strEnd) {
      throw new CorruptBtfException(
          source, at, "name offset " + nameOff + " beyond string section of " + strLen + " bytes");
    }
  }

  private static void checkRef(String source, int at, long id, int last)
      throws CorruptBtfException {
    if (id > last) {
      throw new CorruptBtfException(
          source, at, "type id " + id + " beyond the last type id " + last);
    }
  }
}
