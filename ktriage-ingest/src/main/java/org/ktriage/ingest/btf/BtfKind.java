package org.ktriage.ingest.btf;

import org.jspecify.annotations.Nullable;

/**
 * The BTF_KIND_* values of {@code include/uapi/linux/btf.h}, with the size of the data that follows
 * each {@code struct btf_type}: a fixed part plus {@code vlen} entries of a fixed size.
 */
public enum BtfKind {
  UNKN(0, 0, 0),
  INT(1, 4, 0),
  PTR(2, 0, 0),
  ARRAY(3, 12, 0),
  STRUCT(4, 0, 12),
  UNION(5, 0, 12),
  ENUM(6, 0, 8),
  FWD(7, 0, 0),
  TYPEDEF(8, 0, 0),
  VOLATILE(9, 0, 0),
  CONST(10, 0, 0),
  RESTRICT(11, 0, 0),
  FUNC(12, 0, 0),
  FUNC_PROTO(13, 0, 8),
  VAR(14, 4, 0),
  DATASEC(15, 0, 12),
  FLOAT(16, 0, 0),
  DECL_TAG(17, 4, 0),
  TYPE_TAG(18, 0, 0),
  ENUM64(19, 0, 12);

  private static final BtfKind[] BY_ID = values();

  private final int id;
  private final int fixedExtraBytes;
  private final int bytesPerVlen;

  BtfKind(int id, int fixedExtraBytes, int bytesPerVlen) {
    this.id = id;
    this.fixedExtraBytes = fixedExtraBytes;
    this.bytesPerVlen = bytesPerVlen;
  }

  /** The BTF_KIND_* number. */
  public int id() {
    return id;
  }

  /** Bytes following {@code struct btf_type} for a type of this kind with {@code vlen} entries. */
  int extraBytes(int vlen) {
    return fixedExtraBytes + bytesPerVlen * vlen;
  }

  /** The kind with this number, or null for numbers this reader does not know. */
  static @Nullable BtfKind byId(int id) {
    return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
  }

  /** True for kinds whose {@code size_type} field is a type id (modifiers, pointers, ...). */
  boolean refersToType() {
    return switch (this) {
      case PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, FUNC, FUNC_PROTO, VAR, DECL_TAG, TYPE_TAG ->
          true;
      default -> false;
    };
  }

  /** True for the kinds a member lookup sees through: typedef and the qualifiers. */
  boolean isAlias() {
    return switch (this) {
      case TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG -> true;
      default -> false;
    };
  }
}
