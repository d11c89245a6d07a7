package org.ktriage.analysis.signature;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Demangles the symbol names that appear in kernel stack traces, without parameters: Rust v0
 * ({@code _R…}, e.g. {@code <rust_binder::process::Process>::update_ref}) and the plain C++/Rust
 * legacy Itanium names ({@code _Z8fakeNameiii} to {@code fakeName}, {@code _ZN4core3fmt5write17h…E}
 * to {@code core::fmt::write}). Anything it does not understand is returned unchanged.
 */
final class Demangler {
  private Demangler() {}

  static String demangle(String symbol) {
    try {
      if (symbol.startsWith("_R")) {
        String out = new RustV0(symbol.substring(2)).symbol();
        return out == null ? symbol : out;
      }
      if (symbol.startsWith("_Z")) {
        String out = itanium(symbol);
        return out == null ? symbol : out;
      }
    } catch (Malformed e) {
      // a name the grammar below does not cover (cut, garbled, or a part not supported): the name
      // as printed is the answer; any other exception is a bug and is not caught here
    }
    return symbol;
  }

  /**
   * A mangled name the parser cannot read: it ends early, a length or back-reference points past
   * its end, or it uses a part of the grammar this subset leaves out. Never escapes {@link
   * #demangle}.
   */
  private static final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Malformed(String why) {
      super(why, null, false, false);
    }
  }

  /** Decimal lengths longer than this are no name a kernel prints (and would overflow an int). */
  private static final int MAX_LENGTH_DIGITS = 6;

  /** {@code _Z <len><name> …} or {@code _Z N <len><name>… E …}; parameters are dropped. */
  private static @Nullable String itanium(String s) {
    int pos = 2;
    if (pos < s.length() && s.charAt(pos) == 'N') {
      pos++;
      List<String> parts = new ArrayList<>();
      while (pos < s.length() && s.charAt(pos) != 'E') {
        int start = pos;
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
          pos++;
        }
        if (start == pos || pos - start > MAX_LENGTH_DIGITS) {
          return null;
        }
        int len = Integer.parseInt(s.substring(start, pos));
        if (pos + len > s.length()) {
          return null;
        }
        parts.add(s.substring(pos, pos + len));
        pos += len;
      }
      if (pos >= s.length() || parts.isEmpty()) {
        return null;
      }
      // Rust legacy mangling ends with a hash component h<16 hex>.
      String last = parts.get(parts.size() - 1);
      if (parts.size() > 1 && last.matches("h[0-9a-f]{16}")) {
        parts.remove(parts.size() - 1);
      }
      return String.join("::", parts);
    }
    int start = pos;
    while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
      pos++;
    }
    if (start == pos || pos - start > MAX_LENGTH_DIGITS) {
      return null;
    }
    int len = Integer.parseInt(s.substring(start, pos));
    return pos + len <= s.length() ? s.substring(pos, pos + len) : null;
  }

  /** A subset of the Rust v0 grammar: paths, impls, backrefs, basic and reference types. */
  private static final class RustV0 {
    private final String s;
    private int pos;
    private int depth;

    RustV0(String s) {
      this.s = s;
    }

    @Nullable String symbol() {
      if (pos < s.length() && Character.isDigit(s.charAt(pos))) {
        return null; // encoding version: not supported
      }
      return path();
    }

    private char next() {
      char c = peek();
      pos++;
      return c;
    }

    private char peek() {
      if (pos >= s.length()) {
        throw new Malformed("symbol ends early");
      }
      return s.charAt(pos);
    }

    // statement switches: several cases advance the cursor before they return
    @SuppressWarnings("StatementSwitchToExpressionSwitch")
    private String path() {
      if (++depth > 64) {
        throw new Malformed("nested too deep");
      }
      try {
        char tag = next();
        switch (tag) {
          case 'C':
            return identifier();
          case 'M':
            {
              disambiguator();
              path(); // the impl's parent path is not printed
              return "<" + type() + ">";
            }
          case 'X':
            {
              disambiguator();
              path();
              String type = type();
              String trait = path();
              return "<" + type + " as " + trait + ">";
            }
          case 'Y':
            {
              String type = type();
              String trait = path();
              return "<" + type + " as " + trait + ">";
            }
          case 'N':
            {
              char ns = next();
              String parent = path();
              String ident = identifier();
              if (Character.isUpperCase(ns)) {
                String kind = ns == 'C' ? "closure" : ns == 'S' ? "shim" : String.valueOf(ns);
                return parent + "::{" + kind + (ident.isEmpty() ? "" : ":" + ident) + "}";
              }
              return parent + "::" + ident;
            }
          case 'I':
            {
              String p = path();
              List<String> args = new ArrayList<>();
              while (peek() != 'E') {
                args.add(genericArg());
              }
              pos++;
              return p + "::<" + String.join(", ", args) + ">";
            }
          case 'B':
            return backref(this::path);
          default:
            throw new Malformed("unsupported path tag " + tag);
        }
      } finally {
        depth--;
      }
    }

    private String genericArg() {
      if (peek() == 'L') {
        pos++;
        base62();
        return "'_";
      }
      if (peek() == 'K') {
        throw new Malformed("const generics unsupported");
      }
      return type();
    }

    @SuppressWarnings("StatementSwitchToExpressionSwitch")
    private String type() {
      char c = peek();
      String basic = basicType(c);
      if (basic != null) {
        pos++;
        return basic;
      }
      switch (c) {
        case 'R', 'Q':
          {
            pos++;
            if (peek() == 'L') {
              pos++;
              base62();
            }
            return (c == 'R' ? "&" : "&mut ") + type();
          }
        case 'P', 'O':
          pos++;
          return (c == 'P' ? "*const " : "*mut ") + type();
        case 'S':
          pos++;
          return "[" + type() + "]";
        case 'T':
          {
            pos++;
            List<String> types = new ArrayList<>();
            while (peek() != 'E') {
              types.add(type());
            }
            pos++;
            return "(" + String.join(", ", types) + (types.size() == 1 ? ",)" : ")");
          }
        case 'B':
          pos++;
          return backref(this::type);
        default:
          return path();
      }
    }

    private static @Nullable String basicType(char c) {
      return switch (c) {
        case 'a' -> "i8";
        case 'b' -> "bool";
        case 'c' -> "char";
        case 'd' -> "f64";
        case 'e' -> "str";
        case 'f' -> "f32";
        case 'h' -> "u8";
        case 'i' -> "isize";
        case 'j' -> "usize";
        case 'l' -> "i32";
        case 'm' -> "u32";
        case 'n' -> "i128";
        case 'o' -> "u128";
        case 's' -> "i16";
        case 't' -> "u16";
        case 'u' -> "()";
        case 'v' -> "...";
        case 'x' -> "i64";
        case 'y' -> "u64";
        case 'z' -> "!";
        case 'p' -> "_";
        default -> null;
      };
    }

    private String backref(java.util.function.Supplier<String> what) {
      long target = base62();
      if (target < 0 || target >= pos) { // an overflowed base62 number is negative
        throw new Malformed("backref not before it");
      }
      int saved = pos;
      pos = (int) target;
      try {
        return what.get();
      } finally {
        pos = saved;
      }
    }

    private void disambiguator() {
      if (peek() == 's') {
        pos++;
        base62();
      }
    }

    private String identifier() {
      disambiguator();
      boolean punycode = peek() == 'u';
      if (punycode) {
        pos++;
      }
      int start = pos;
      while (Character.isDigit(peek())) {
        pos++;
      }
      if (start == pos || pos - start > MAX_LENGTH_DIGITS) {
        throw new Malformed("no identifier length");
      }
      int len = Integer.parseInt(s.substring(start, pos));
      if (pos < s.length() && peek() == '_') {
        pos++;
      }
      if (len > s.length() - pos) {
        throw new Malformed("identifier past the end");
      }
      String ident = s.substring(pos, pos + len);
      pos += len;
      if (punycode) {
        throw new Malformed("punycode identifiers unsupported");
      }
      return ident;
    }

    private long base62() {
      if (peek() == '_') {
        pos++;
        return 0;
      }
      long v = 0;
      while (peek() != '_') {
        char c = next();
        int d;
        if (c >= '0' && c <= '9') {
          d = c - '0';
        } else if (c >= 'a' && c <= 'z') {
          d = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'Z') {
          d = c - 'A' + 36;
        } else {
          throw new Malformed("bad base62");
        }
        v = v * 62 + d;
      }
      pos++;
      return v + 1;
    }
  }
}
