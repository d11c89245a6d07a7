package org.ktriage.ingest.btf;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A struct or union of a {@link Btf}, with member lookup by path: names separated by dots, each
 * optionally indexed ({@code "mem[0].base"}); members of anonymous structs and unions are found by
 * their own names, as in C.
 */
public final class BtfStruct {
  private static final int MAX_ANON_DEPTH = 16;

  private final Btf btf;
  private final BtfType type;

  /**
   * Member paths already looked up, found or not: a lookup walks the members comparing names in the
   * BTF string section (and into anonymous members), and readers ask the same paths of every object
   * they read.
   */
  private final java.util.concurrent.ConcurrentHashMap<String, java.util.Optional<BtfField>> paths =
      new java.util.concurrent.ConcurrentHashMap<>();

  BtfStruct(Btf btf, BtfType type) {
    this.btf = btf;
    this.type = type;
  }

  /** The struct's BTF type. */
  public BtfType type() {
    return type;
  }

  /** The struct's name ("" for an anonymous one). */
  public String name() {
    return type.name();
  }

  /** Size in bytes. */
  public long size() {
    return Integer.toUnsignedLong(type.sizeOrType());
  }

  /** The direct members, anonymous ones included. */
  public List<BtfMember> members() {
    return btf.members(type);
  }

  /** True when the path names a member (probe for a kernel feature with this). */
  public boolean hasMember(String path) {
    try {
      return findMember(path) != null;
    } catch (CorruptBtfException e) {
      return false;
    }
  }

  /** The member at this path. */
  public BtfField member(String path) throws MissingBtfTypeException, CorruptBtfException {
    BtfField f = findMember(path);
    if (f == null) {
      throw new MissingBtfTypeException(
          btf.source() + ": struct " + name() + " has no member " + path);
    }
    return f;
  }

  /** Byte offset of the member at this path. */
  public long offset(String path) throws MissingBtfTypeException, CorruptBtfException {
    return member(path).byteOffset();
  }

  /** The member at this path, or null when there is none. */
  public @Nullable BtfField findMember(String path) throws CorruptBtfException {
    java.util.Optional<BtfField> known = paths.get(path);
    if (known != null) {
      return known.orElse(null);
    }
    BtfField f = walk(path);
    if (paths.size() < MAX_PATHS) {
      paths.put(path, java.util.Optional.ofNullable(f));
    }
    return f;
  }

  /** Paths kept per struct (readers ask a few dozen; a hostile caller could ask any number). */
  private static final int MAX_PATHS = 4096;

  private @Nullable BtfField walk(String path) throws CorruptBtfException {
    BtfType current = type;
    long bitOffset = 0;
    BtfField field = null;
    for (String step : path.split("\\.", -1)) {
      int bracket = step.indexOf('[');
      String name = bracket < 0 ? step : step.substring(0, bracket);
      if (!current.isComposite() || name.isEmpty()) {
        return null;
      }
      Found found = lookup(current, name, 0);
      if (found == null) {
        return null;
      }
      bitOffset += found.bitOffset;
      BtfType declared = btf.type(found.member.typeId());
      BtfType resolved = btf.resolve(found.member.typeId());
      while (bracket >= 0) {
        int close = step.indexOf(']', bracket);
        if (close < 0 || resolved.kind() != BtfKind.ARRAY) {
          return null;
        }
        long index;
        try {
          index = Long.parseLong(step.substring(bracket + 1, close));
        } catch (NumberFormatException e) {
          return null;
        }
        BtfArray array = btf.array(resolved);
        if (index < 0 || index >= Math.max(1, array.elementCount())) {
          return null;
        }
        bitOffset += 8 * index * btf.sizeOf(array.elementTypeId());
        declared = btf.type(array.elementTypeId());
        resolved = btf.resolve(array.elementTypeId());
        bracket = step.indexOf('[', close);
        if (bracket < 0 && close != step.length() - 1) {
          return null;
        }
      }
      field =
          new BtfField(
              path,
              bitOffset,
              found.member.bitfieldSize(),
              declared,
              resolved,
              btf.sizeOf(declared.id()));
      current = resolved;
    }
    return field;
  }

  private record Found(BtfMember member, long bitOffset) {}

  private @Nullable Found lookup(BtfType composite, String name, int depth)
      throws CorruptBtfException {
    if (depth > MAX_ANON_DEPTH) {
      return null;
    }
    BtfMember named = btf.member(composite, name);
    if (named != null) {
      return new Found(named, named.bitOffset());
    }
    for (BtfMember m : btf.anonymousMembers(composite)) {
      BtfType inner = btf.resolve(m.typeId());
      if (inner.isComposite()) {
        Found f = lookup(inner, name, depth + 1);
        if (f != null) {
          return new Found(f.member, m.bitOffset() + f.bitOffset);
        }
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return type.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + name();
  }
}
