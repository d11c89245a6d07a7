package org.ktriage.ingest.btf;

/**
 * One {@code struct btf_type}: its id, kind, name ("" when anonymous), {@code vlen}, {@code
 * kind_flag} and the {@code size_type} word (a byte size or a type id, depending on the kind).
 */
public record BtfType(
    int id, BtfKind kind, String name, int vlen, boolean kindFlag, int sizeOrType) {

  /** The void type, id 0. */
  public static final BtfType VOID = new BtfType(0, BtfKind.UNKN, "", 0, false, 0);

  /** The referenced type id for pointers, typedefs, qualifiers, func, var and tags. */
  public int typeId() {
    if (!kind.refersToType()) {
      throw new IllegalStateException(kind + " " + name + " does not refer to a type");
    }
    return sizeOrType;
  }

  /** True when the name is empty. */
  public boolean isAnonymous() {
    return name.isEmpty();
  }

  /** True for struct and union. */
  public boolean isComposite() {
    return kind == BtfKind.STRUCT || kind == BtfKind.UNION;
  }

  @Override
  public String toString() {
    return "[" + id + "] " + kind + " '" + (name.isEmpty() ? "(anon)" : name) + "'";
  }
}
