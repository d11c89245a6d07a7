package org.ktriage.ingest.btf;

import java.io.IOException;

/**
 * Prints a {@link Btf} in the raw text form of {@code bpftool btf dump file F} (one line per type,
 * one tab-indented line per member, enumerator, parameter or section variable), so the reader can
 * be checked against bpftool line by line.
 */
public final class BtfRawDump {
  private BtfRawDump() {}

  /** Writes every type of the blob (not of its base). */
  public static void write(Btf btf, Appendable out) throws IOException {
    for (int id = btf.firstId(); id <= btf.lastId(); id++) {
      writeType(btf, btf.type(id), out);
    }
  }

  /** Writes one type and its entries, ending with a newline. */
  public static void writeType(Btf btf, BtfType t, Appendable out) throws IOException {
    out.append('[')
        .append(Integer.toString(t.id()))
        .append("] ")
        .append(t.kind().name())
        .append(' ')
        .append(quoted(t.name()));
    switch (t.kind()) {
      case INT -> {
        BtfIntEncoding e = btf.intEncoding(t);
        out.append(" size=" + unsigned(t.sizeOrType()))
            .append(" bits_offset=" + e.bitOffset())
            .append(" nr_bits=" + e.bits())
            .append(" encoding=" + intEncodingName(e.encoding()));
      }
      case PTR, CONST, VOLATILE, RESTRICT, TYPEDEF, TYPE_TAG ->
          out.append(" type_id=" + t.typeId());
      case ARRAY -> {
        BtfArray a = btf.array(t);
        out.append(" type_id=" + a.elementTypeId())
            .append(" index_type_id=" + a.indexTypeId())
            .append(" nr_elems=" + a.elementCount());
      }
      case STRUCT, UNION -> {
        out.append(" size=" + unsigned(t.sizeOrType()) + " vlen=" + t.vlen());
        for (BtfMember m : btf.members(t)) {
          out.append("\n\t")
              .append(quoted(m.name()))
              .append(" type_id=" + m.typeId())
              .append(" bits_offset=" + m.bitOffset());
          if (m.bitfieldSize() != 0) {
            out.append(" bitfield_size=" + m.bitfieldSize());
          }
        }
      }
      case ENUM, ENUM64 -> {
        out.append(" encoding=" + (t.kindFlag() ? "SIGNED" : "UNSIGNED"))
            .append(" size=" + unsigned(t.sizeOrType()) + " vlen=" + t.vlen());
        boolean is64 = t.kind() == BtfKind.ENUM64;
        for (BtfEnumerator e : btf.enumerators(t)) {
          String value;
          if (is64) {
            value = t.kindFlag() ? e.value() + "LL" : Long.toUnsignedString(e.value()) + "ULL";
          } else {
            value = Long.toString(e.value());
          }
          out.append("\n\t").append(quoted(e.name())).append(" val=" + value);
        }
      }
      case FWD -> out.append(" fwd_kind=" + (t.kindFlag() ? "union" : "struct"));
      case FUNC -> out.append(" type_id=" + t.typeId() + " linkage=" + linkage(t.vlen()));
      case FUNC_PROTO -> {
        out.append(" ret_type_id=" + t.typeId() + " vlen=" + t.vlen());
        for (BtfParam p : btf.params(t)) {
          out.append("\n\t").append(quoted(p.name())).append(" type_id=" + p.typeId());
        }
      }
      case VAR -> out.append(" type_id=" + t.typeId() + ", linkage=" + linkage(btf.varLinkage(t)));
      case DATASEC -> {
        out.append(" size=" + unsigned(t.sizeOrType()) + " vlen=" + t.vlen());
        for (BtfVarSecInfo v : btf.datasecVars(t)) {
          BtfType var = btf.type(v.typeId());
          out.append("\n\ttype_id=" + v.typeId())
              .append(" offset=" + v.offset())
              .append(" size=" + v.size())
              .append(" (" + var.kind().name() + " " + quoted(var.name()) + ")");
        }
      }
      case FLOAT -> out.append(" size=" + unsigned(t.sizeOrType()));
      case DECL_TAG ->
          out.append(" type_id=" + t.typeId() + " component_idx=" + btf.declTagComponent(t));
      case UNKN -> {}
    }
    out.append('\n');
  }

  private static String quoted(String name) {
    return "'" + (name.isEmpty() ? "(anon)" : name) + "'";
  }

  private static String unsigned(int v) {
    return Integer.toUnsignedString(v);
  }

  private static String intEncodingName(int encoding) {
    return switch (encoding) {
      case 0 -> "(none)";
      case BtfIntEncoding.SIGNED -> "SIGNED";
      case BtfIntEncoding.CHAR -> "CHAR";
      case BtfIntEncoding.BOOL -> "BOOL";
      default -> "UNKN";
    };
  }

  private static String linkage(int linkage) {
    return switch (linkage) {
      case 0 -> "static";
      case 1 -> "global";
      case 2 -> "extern";
      default -> "(unknown)";
    };
  }
}
