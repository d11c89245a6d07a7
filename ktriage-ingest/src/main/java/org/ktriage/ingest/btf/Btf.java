package org.ktriage.ingest.btf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A parsed BTF blob ({@code include/uapi/linux/btf.h}), little-endian:
 *
 * <pre>
 * struct btf_header { u16 magic = 0xeB9F; u8 version = 1; u8 flags; u32 hdr_len;
 *                     u32 type_off, type_len, str_off, str_len; }   // offsets from end of header
 * type section: struct btf_type { u32 name_off; u32 info; u32 size_or_type; } + kind data, ...
 *   info: vlen = bits 0-15, kind = bits 24-28, kind_flag = bit 31
 * string section: NUL-terminated strings, the first one empty
 * </pre>
 *
 * <p>Type ids count from 1 in section order (0 is void). Split BTF (modules) continues the ids and
 * string offsets of its base. Every offset, length, kind and type reference is checked once when
 * the blob is parsed, so later lookups cannot read outside it.
 */
public final class Btf {
  static final int MAGIC = 0xeB9F;
  private static final int TYPE_HEADER_BYTES = 12;
  private static final int MAX_CHAIN = 64;

  private final String source;
  private final byte[] blob;
  private final @Nullable Btf base;
  private final int firstId;
  private final int strSectionStart;
  private final int strLen;
  private final int strBase;
  private final int[] typeOffsets;
  private @Nullable BtfNameIndex byName;

  /** Types of a split blob whose names live in the base's string section, by name. */
  private @Nullable Map<String, int[]> byBaseName;

  private Btf(
      String source,
      byte[] blob,
      @Nullable Btf base,
      int strSectionStart,
      int strLen,
      int[] typeOffsets) {
    this.source = source;
    this.blob = blob;
    this.base = base;
    this.firstId = base == null ? 1 : base.lastId() + 1;
    this.strSectionStart = strSectionStart;
    this.strLen = strLen;
    this.strBase = base == null ? 0 : base.strBase + base.strLen;
    this.typeOffsets = typeOffsets;
  }

  /** Parses a complete (base) BTF blob; {@code source} names it in error messages. */
  public static Btf parse(byte[] blob, String source) throws CorruptBtfException {
    return parse(blob, source, null);
  }

  /**
   * Parses a BTF blob; with a {@code base}, a split blob (a module's) whose ids and string offsets
   * continue the base's.
   */
  public static Btf parse(byte[] blob, String source, @Nullable Btf base)
      throws CorruptBtfException {
    BtfSections sections = BtfSections.read(blob, source, base == null);
    Btf btf =
        new Btf(source, blob, base, sections.strOff(), sections.strLen(), sections.typeOffsets());
    sections.validateReferences(blob, source, btf.lastId(), btf.strBase + (long) btf.strLen);
    return btf;
  }

  /** The name used in error messages. */
  public String source() {
    return source;
  }

  /** The highest type id (base types included for split BTF). */
  public int lastId() {
    return firstId + typeOffsets.length - 1;
  }

  /** The first type id this blob defines (1 for base BTF). */
  public int firstId() {
    return firstId;
  }

  /** The type with this id (0 is void). */
  public BtfType type(int id) {
    if (id == 0) {
      return BtfType.VOID;
    }
    if (id < firstId) {
      if (base == null) {
        throw new IllegalArgumentException("no BTF type id " + id);
      }
      return base.type(id);
    }
    int pos = offsetOf(id);
    long info = u32(blob, pos + 4);
    return new BtfType(
        id,
        kindAt(pos),
        string(u32(blob, pos)),
        (int) (info & 0xffff),
        (info & 0x80000000L) != 0,
        (int) u32(blob, pos + 8));
  }

  private int offsetOf(int id) {
    int idx = id - firstId;
    if (idx < 0 || idx >= typeOffsets.length) {
      throw new IllegalArgumentException("no BTF type id " + id + " in " + source);
    }
    return typeOffsets[idx];
  }

  private BtfKind kindAt(int pos) {
    BtfKind kind = BtfKind.byId((int) ((u32(blob, pos + 4) >>> 24) & 0x1f));
    if (kind == null) {
      throw new IllegalStateException("kind validated at parse time");
    }
    return kind;
  }

  /** Owner of a type id: this blob or its base. */
  private Btf owner(int id) {
    if (id < firstId && base != null) {
      return base.owner(id);
    }
    return this;
  }

  private int dataOf(BtfType t, BtfKind expected) {
    if (t.kind() != expected) {
      throw new IllegalArgumentException(t + " is not " + expected);
    }
    return offsetOf(t.id()) + TYPE_HEADER_BYTES;
  }

  /** The members of a struct or union in declaration order. */
  public List<BtfMember> members(BtfType t) {
    Btf o = owner(t.id());
    if (o != this) {
      return o.members(t);
    }
    if (!t.isComposite()) {
      throw new IllegalArgumentException(t + " is not a struct or union");
    }
    int data = offsetOf(t.id()) + TYPE_HEADER_BYTES;
    List<BtfMember> out = new ArrayList<>(t.vlen());
    for (int m = 0; m < t.vlen(); m++) {
      out.add(memberAt(t, data + 12 * m));
    }
    return out;
  }

  /**
   * The first member of a struct or union named {@code name}, or null; members of anonymous members
   * are not entered. Names are compared in place: no string is made for the others.
   */
  public @Nullable BtfMember member(BtfType t, String name) {
    Btf o = owner(t.id());
    if (o != this) {
      return o.member(t, name);
    }
    if (!t.isComposite()) {
      throw new IllegalArgumentException(t + " is not a struct or union");
    }
    byte[] want = BtfStrings.utf8(name);
    int data = offsetOf(t.id()) + TYPE_HEADER_BYTES;
    for (int m = 0; m < t.vlen(); m++) {
      int e = data + 12 * m;
      if (nameIs(u32(blob, e), want)) {
        return memberAt(t, e);
      }
    }
    return null;
  }

  /** The anonymous members (unnamed struct or union members) of a struct or union, in order. */
  public List<BtfMember> anonymousMembers(BtfType t) {
    Btf o = owner(t.id());
    if (o != this) {
      return o.anonymousMembers(t);
    }
    if (!t.isComposite()) {
      throw new IllegalArgumentException(t + " is not a struct or union");
    }
    int data = offsetOf(t.id()) + TYPE_HEADER_BYTES;
    List<BtfMember> out = new ArrayList<>();
    for (int m = 0; m < t.vlen(); m++) {
      int e = data + 12 * m;
      if (nameEmpty(u32(blob, e))) {
        out.add(memberAt(t, e));
      }
    }
    return out;
  }

  private BtfMember memberAt(BtfType t, int e) {
    long off = u32(blob, e + 8);
    long bitOffset = t.kindFlag() ? off & 0xffffff : off;
    int bitfield = t.kindFlag() ? (int) (off >>> 24) : 0;
    return new BtfMember(string(u32(blob, e)), (int) u32(blob, e + 4), bitOffset, bitfield);
  }

  /** The enumerators of an ENUM or ENUM64; signedness follows the type's kind_flag. */
  public List<BtfEnumerator> enumerators(BtfType t) {
    Btf o = owner(t.id());
    if (o != this) {
      return o.enumerators(t);
    }
    boolean is64 = t.kind() == BtfKind.ENUM64;
    int data = dataOf(t, is64 ? BtfKind.ENUM64 : BtfKind.ENUM);
    List<BtfEnumerator> out = new ArrayList<>(t.vlen());
    for (int m = 0; m < t.vlen(); m++) {
      long value;
      int e = data + (is64 ? 12 : 8) * m;
      if (is64) {
        value = u32(blob, e + 4) | (u32(blob, e + 8) << 32);
      } else {
        value = t.kindFlag() ? (long) (int) u32(blob, e + 4) : u32(blob, e + 4);
      }
      out.add(new BtfEnumerator(string(u32(blob, e)), value));
    }
    return out;
  }

  /** The element type, index type and element count of an ARRAY. */
  public BtfArray array(BtfType t) {
    Btf o = owner(t.id());
    if (o != this) {
      return o.array(t);
    }
    int data = dataOf(t, BtfKind.ARRAY);
    return new BtfArray((int) u32(blob, data), (int) u32(blob, data + 4), u32(blob, data + 8));
  }

  /** The parameters of a FUNC_PROTO ({@link BtfType#typeId()} is its return type). */
  public List<BtfParam> params(BtfType t) {
    Btf o = owner(t.id());
    if (o != this) {
      return o.params(t);
    }
    int data = dataOf(t, BtfKind.FUNC_PROTO);
    List<BtfParam> out = new ArrayList<>(t.vlen());
    for (int m = 0; m < t.vlen(); m++) {
      out.add(new BtfParam(string(u32(blob, data + 8 * m)), (int) u32(blob, data + 8 * m + 4)));
    }
    return out;
  }

  /** The variables of a DATASEC with their offsets and sizes in the section. */
  public List<BtfVarSecInfo> datasecVars(BtfType t) {
    Btf o = owner(t.id());
    if (o != this) {
      return o.datasecVars(t);
    }
    int data = dataOf(t, BtfKind.DATASEC);
    List<BtfVarSecInfo> out = new ArrayList<>(t.vlen());
    for (int m = 0; m < t.vlen(); m++) {
      int e = data + 12 * m;
      out.add(new BtfVarSecInfo((int) u32(blob, e), u32(blob, e + 4), u32(blob, e + 8)));
    }
    return out;
  }

  /** The encoding word of an INT. */
  public BtfIntEncoding intEncoding(BtfType t) {
    Btf o = owner(t.id());
    if (o != this) {
      return o.intEncoding(t);
    }
    long word = u32(blob, dataOf(t, BtfKind.INT));
    return new BtfIntEncoding(
        (int) ((word >>> 24) & 0xf), (int) ((word >>> 16) & 0xff), (int) (word & 0xff));
  }

  /** The linkage word of a VAR (0 static, 1 global, 2 extern). */
  public int varLinkage(BtfType t) {
    Btf o = owner(t.id());
    if (o != this) {
      return o.varLinkage(t);
    }
    return (int) u32(blob, dataOf(t, BtfKind.VAR));
  }

  /** The component index of a DECL_TAG (-1: the tagged type or function itself). */
  public int declTagComponent(BtfType t) {
    Btf o = owner(t.id());
    if (o != this) {
      return o.declTagComponent(t);
    }
    return (int) u32(blob, dataOf(t, BtfKind.DECL_TAG));
  }

  /** Follows typedef, const, volatile, restrict and type_tag to the underlying type. */
  public BtfType resolve(int id) throws CorruptBtfException {
    BtfType t = type(id);
    for (int i = 0; i < MAX_CHAIN; i++) {
      if (!t.kind().isAlias()) {
        return t;
      }
      t = type(t.typeId());
    }
    throw new CorruptBtfException(source, 0, "type chain from id " + id + " is a loop");
  }

  /** Byte size of a type (arrays multiply, pointers are 8 bytes); 0 for void and functions. */
  public long sizeOf(int id) throws CorruptBtfException {
    long mult = 1;
    BtfType t = resolve(id);
    for (int i = 0; i < MAX_CHAIN; i++) {
      switch (t.kind()) {
        case INT, STRUCT, UNION, ENUM, ENUM64, DATASEC, FLOAT -> {
          return mult * Integer.toUnsignedLong(t.sizeOrType());
        }
        case PTR -> {
          return mult * 8;
        }
        case ARRAY -> {
          BtfArray a = array(t);
          mult *= a.elementCount();
          if (mult > (1L << 40)) {
            throw new CorruptBtfException(source, 0, "array size overflow in " + t);
          }
          t = resolve(a.elementTypeId());
        }
        default -> {
          return 0;
        }
      }
    }
    throw new CorruptBtfException(source, 0, "array nesting from id " + id + " is a loop");
  }

  /** All types with this name (any kind), in id order; empty when none. */
  public List<BtfType> findAll(String name) {
    List<BtfType> out = new ArrayList<>();
    if (base != null) {
      out.addAll(base.findAll(name));
    }
    for (int id : idsNamed(name)) {
      out.add(type(id));
    }
    return out;
  }

  /** The first type of one of the kinds with this name, or null. */
  public @Nullable BtfType find(String name, BtfKind... kinds) {
    for (BtfType t : findAll(name)) {
      for (BtfKind k : kinds) {
        if (t.kind() == k) {
          return t;
        }
      }
    }
    return null;
  }

  /** The struct (or union) with this name, or null when this kernel has none. */
  public @Nullable BtfStruct findStruct(String name) {
    BtfType t = find(name, BtfKind.STRUCT, BtfKind.UNION);
    return t == null ? null : new BtfStruct(this, t);
  }

  /** The struct (or union) with this name. */
  public BtfStruct struct(String name) throws MissingBtfTypeException {
    BtfStruct s = findStruct(name);
    if (s == null) {
      throw new MissingBtfTypeException(source + ": no struct " + name + " in BTF");
    }
    return s;
  }

  /** The struct or union a type id resolves to (through typedefs and qualifiers). */
  public BtfStruct structOf(int id) throws MissingBtfTypeException, CorruptBtfException {
    BtfType t = resolve(id);
    if (!t.isComposite()) {
      throw new MissingBtfTypeException(source + ": " + t + " is not a struct or union");
    }
    return new BtfStruct(this, t);
  }

  /** Value of a named enumerator of any ENUM/ENUM64, or null when no enum defines it. */
  public @Nullable Long enumValue(String enumerator) {
    for (int id = firstId; id <= lastId(); id++) {
      BtfType t = type(id);
      if (t.kind() == BtfKind.ENUM || t.kind() == BtfKind.ENUM64) {
        for (BtfEnumerator e : enumerators(t)) {
          if (e.name().equals(enumerator)) {
            return e.value();
          }
        }
      }
    }
    return base == null ? null : base.enumValue(enumerator);
  }

  /** Ids of this blob's types named {@code name}, in id order. */
  private synchronized int[] idsNamed(String name) {
    BtfNameIndex index = byName;
    Map<String, int[]> inBase = byBaseName;
    if (index == null || inBase == null) {
      int[] at = new int[typeOffsets.length];
      inBase = new HashMap<>();
      for (int i = 0; i < typeOffsets.length; i++) {
        long nameOff = u32(blob, typeOffsets[i]);
        at[i] = -1;
        if (nameOff == 0) {
          continue;
        }
        if (nameOff < strBase) {
          // a split blob's type named by a string of its base
          inBase.merge(string(nameOff), new int[] {i}, Btf::concat);
          continue;
        }
        at[i] = strSectionStart + (int) (nameOff - strBase);
      }
      index = new BtfNameIndex(blob, strSectionStart + strLen, at);
      byName = index;
      byBaseName = inBase;
    }
    int[] own = index.indexes(name);
    int[] other = inBase.get(name);
    int[] all = other == null ? own : concat(own, other);
    if (other != null) {
      java.util.Arrays.sort(all);
    }
    int[] ids = new int[all.length];
    for (int k = 0; k < all.length; k++) {
      ids[k] = firstId + all[k];
    }
    return ids;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * Whether the name at {@code nameOff} is exactly {@code want} (UTF-8), compared in place in
   * whichever blob of the split chain holds that string.
   */
  private boolean nameIs(long nameOff, byte[] want) {
    if (nameOff < strBase) {
      return base != null && base.nameIs(nameOff, want);
    }
    int at = strSectionStart + (int) (nameOff - strBase);
    return BtfStrings.equalsAt(blob, at, strSectionStart + strLen, want);
  }

  /** Whether the name at {@code nameOff} is empty (an anonymous member). */
  private boolean nameEmpty(long nameOff) {
    if (nameOff == 0) {
      return true;
    }
    if (nameOff < strBase) {
      return base != null && base.nameEmpty(nameOff);
    }
    return blob[strSectionStart + (int) (nameOff - strBase)] == 0;
  }

  /** The string at a name offset (relative to the base's string section for split BTF). */
  String string(long nameOff) {
    if (nameOff < strBase) {
      if (base == null) {
        throw new IllegalStateException("string offset below base");
      }
      return base.string(nameOff);
    }
    int start = strSectionStart + (int) (nameOff - strBase);
    int end = start;
    int limit = strSectionStart + strLen;
    while (end < limit && blob[end] != 0) {
      end++;
    }
    return new String(blob, start, end - start, StandardCharsets.UTF_8);
  }

  static int u16(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
  }

  static long u32(byte[] b, int at) {
    return (b[at] & 0xffL)
        | (b[at + 1] & 0xffL) << 8
        | (b[at + 2] & 0xffL) << 16
        | (b[at + 3] & 0xffL) << 24;
  }
}
