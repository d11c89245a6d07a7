package org.ktriage.ingest.btf;

import java.util.Arrays;

/**
 * The named types of one BTF blob by name, without a {@link String} per type: an open-addressing
 * table (linear probing, power-of-two size, at most half full) of type indexes keyed by a hash of
 * the name's bytes in the string section. Types sharing a name sit along one probe chain in id
 * order, so a lookup returns them in id order. Built on the first lookup by name.
 */
final class BtfNameIndex {
  private final byte[] blob;
  private final int strEnd;

  /** Per slot: index of the type in its blob + 1; 0 is a free slot. */
  private final int[] slots;

  /** Per slot: the byte offset of the name in the blob (valid when the slot is used). */
  private final int[] nameAt;

  /**
   * Indexes the types at {@code nameOffsets} (a type's name as an absolute blob offset, or -1 for
   * an anonymous type or a name held by the base blob).
   */
  BtfNameIndex(byte[] blob, int strEnd, int[] nameOffsets) {
    this.blob = blob;
    this.strEnd = strEnd;
    int named = 0;
    for (int at : nameOffsets) {
      if (at >= 0) {
        named++;
      }
    }
    int size = Math.max(16, Integer.highestOneBit(Math.max(1, named)) << 2);
    this.slots = new int[size];
    this.nameAt = new int[size];
    int mask = size - 1;
    for (int i = 0; i < nameOffsets.length; i++) {
      int at = nameOffsets[i];
      if (at < 0) {
        continue;
      }
      int slot = hashAt(at) & mask;
      while (slots[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      slots[slot] = i + 1;
      nameAt[slot] = at;
    }
  }

  /** Indexes (in the blob, from 0) of the types named {@code name}, in id order. */
  int[] indexes(String name) {
    byte[] want = BtfStrings.utf8(name);
    int h = 0;
    for (byte b : want) {
      h = 31 * h + (b & 0xff);
    }
    int mask = slots.length - 1;
    int[] out = new int[0];
    for (int slot = mix(h) & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
      if (BtfStrings.equalsAt(blob, nameAt[slot], strEnd, want)) {
        out = Arrays.copyOf(out, out.length + 1);
        out[out.length - 1] = slots[slot] - 1;
      }
    }
    return out;
  }

  private int hashAt(int at) {
    int h = 0;
    for (int k = at; k < strEnd && blob[k] != 0; k++) {
      h = 31 * h + (blob[k] & 0xff);
    }
    return mix(h);
  }

  private static int mix(int h) {
    return h ^ (h >>> 16);
  }
}
