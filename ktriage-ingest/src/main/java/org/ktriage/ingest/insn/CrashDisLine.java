package org.ktriage.ingest.insn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.FaultingInstruction;
import org.ktriage.model.MemoryOperand;
import org.ktriage.model.MemoryOperand.Access;

/**
 * One line of the {@code crash} utility's {@code dis} output on x86-64: {@code 0xffffffff81098a68
 * <run_timer_softirq+248>: mov %rsi,0x8(%rcx)}. crash prints the address, the symbol with a decimal
 * offset and gdb's AT&amp;T disassembly (crash's {@code cmd_dis()} runs gdb's {@code x/i}); a
 * RIP-relative operand gets a {@code # 0x…} comment with the address it resolves to.
 *
 * @param address the instruction's address
 * @param function the symbol, or null when crash printed none
 * @param offset the decimal offset from the symbol (0 when none)
 * @param mnemonic the mnemonic, with a {@code lock}/{@code rep} prefix
 * @param operands the operands as printed (AT&amp;T order: source first, destination last)
 * @param commentTarget the {@code # 0x…} address of a RIP-relative operand, or null
 */
public record CrashDisLine(
    long address,
    @Nullable String function,
    long offset,
    String mnemonic,
    List<String> operands,
    @Nullable Long commentTarget) {

  public CrashDisLine {
    operands = List.copyOf(operands);
  }

  private static final Pattern LINE =
      Pattern.compile(
          "0x(?<addr>[0-9a-f]{1,16}) (?:<(?<fn>[\\w.$]+)(?:\\+(?<off>\\d{1,9}))?>)?:\\s+"
              + "(?<insn>(?:(?:lock|rep[nz]?e?|data16|addr32|notrack|bnd) +)*[a-z][a-z0-9.]{1,15}"
              + "(?: +[^#]*?)?)\\s*(?:#\\s*0x(?<target>[0-9a-f]{1,16})(?:\\s.*)?)?");

  /**
   * AT&amp;T memory operand: {@code %gs:-0x10(%rax,%rdx,8)}, {@code *0x8(%rax)}, {@code %gs:0x1c}.
   */
  private static final Pattern MEMORY =
      Pattern.compile(
          "\\*?(?:%(?<seg>[cdefgs]s):)?(?<disp>-?0x[0-9a-f]{1,16}|-?\\d{1,19})?"
              + "(?:\\((?<base>%[a-z0-9]{2,5})?(?:,(?<index>%[a-z0-9]{2,5})(?:,(?<scale>[1248]))?)?\\))?");

  /** Mnemonics whose memory destination is only written. */
  private static final Set<String> WRITE_ONLY = Set.of("mov", "movabs", "pop", "stos", "movnti");

  /** Mnemonics that only read their operands (compare, test, push, branch through memory). */
  private static final Set<String> READ_ONLY =
      Set.of("cmp", "test", "bt", "push", "call", "jmp", "ljmp", "lcall", "ucomis", "comis");

  /** Mnemonics that compute an address and touch no memory. */
  private static final Set<String> NO_ACCESS =
      Set.of("lea", "nop", "nopl", "nopw", "prefetch", "prefetcht0", "prefetchw", "clflush");

  /** Base mnemonics that take a b/w/l/q size suffix in AT&amp;T syntax. */
  private static final Set<String> SUFFIXED =
      Set.of(
          "mov", "add", "sub", "and", "or", "xor", "cmp", "test", "inc", "dec", "neg", "not", "adc",
          "sbb", "shl", "shr", "sar", "rol", "ror", "xchg", "xadd", "cmpxchg", "bt", "bts", "btr",
          "btc", "push", "pop", "imul", "mul", "div", "idiv", "stos", "movnti");

  /** The line read, or null when it is not a {@code dis} line. */
  public static @Nullable CrashDisLine parse(String line) {
    if (line.length() > 400) {
      return null;
    }
    // sessions pasted from web pages carry no-break spaces (U+00A0) where crash printed spaces
    String t = line.replace('\u00a0', ' ').strip();
    if (!t.startsWith("0x")) {
      return null;
    }
    Matcher m = LINE.matcher(t);
    if (!m.matches()) {
      return null;
    }
    String insn = m.group("insn").strip().replaceAll("\\s+", " ");
    List<String> words = new ArrayList<>(List.of(insn.split(" ", -1)));
    StringBuilder mnemonic = new StringBuilder();
    String ops = "";
    while (!words.isEmpty()) {
      String w = words.remove(0);
      mnemonic.append(mnemonic.isEmpty() ? "" : " ").append(w);
      if (!w.matches("lock|rep[nz]?e?|data16|addr32|notrack|bnd")) {
        ops = String.join("", words);
        break;
      }
    }
    String off = m.group("off");
    String target = m.group("target");
    return new CrashDisLine(
        Long.parseUnsignedLong(m.group("addr"), 16),
        m.group("fn"),
        off == null ? 0 : Long.parseLong(off),
        mnemonic.toString(),
        ops.isEmpty() ? List.of() : splitOperands(ops),
        target == null ? null : Long.parseUnsignedLong(target, 16));
  }

  /** Splits at commas outside parentheses. */
  private static List<String> splitOperands(String ops) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int from = 0;
    for (int i = 0; i < ops.length(); i++) {
      char c = ops.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        out.add(ops.substring(from, i));
        from = i + 1;
      }
    }
    out.add(ops.substring(from));
    return out;
  }

  /** Whether this line shows the instruction at the frame's {@code ip} or {@code function+off}. */
  public boolean isAt(ExceptionFrame f) {
    if (f.ip() != null) {
      return f.ip() == address;
    }
    String off = f.offset();
    return function != null
        && function.equals(f.function())
        && off != null
        && off.startsWith("0x")
        && off.length() <= 10
        && Long.parseLong(off.substring(2), 16) == offset;
  }

  /** The instruction as the disassembler prints it: {@code mov %rsi,0x8(%rcx)}. */
  public String text() {
    return operands.isEmpty() ? mnemonic : mnemonic + " " + String.join(",", operands);
  }

  /**
   * The instruction read into the same form the decoders give, or null when an operand is not a
   * form this reader knows.
   */
  @Nullable DecodedInstruction decoded() {
    String bare = mnemonic.substring(mnemonic.lastIndexOf(' ') + 1);
    List<MemoryOperand> memory = new ArrayList<>();
    for (int i = 0; i < operands.size(); i++) {
      String o = operands.get(i);
      if ((o.startsWith("%") && !o.contains(":")) || o.startsWith("$")) {
        continue; // a register or an immediate
      }
      if (!o.contains("(") && !o.contains(":")) {
        continue; // a branch target (call/jmp 0xffffffff81…), not a memory access
      }
      MemoryOperand mo = memory(o, access(bare, i == operands.size() - 1), width(bare));
      if (mo == null) {
        return null;
      }
      memory.add(mo);
    }
    int length = 0;
    if (commentTarget != null && memory.size() == 1 && memory.get(0).ripRelative()) {
      // the comment is next-instruction + displacement: the length follows from it
      length =
          (int) Math.max(0, Math.min(15, commentTarget - address - memory.get(0).displacement()));
    }
    return new DecodedInstruction(length, mnemonic, text(), memory);
  }

  private static @Nullable MemoryOperand memory(String o, Access access, int width) {
    Matcher m = MEMORY.matcher(o);
    if (!m.matches()
        || (m.group("disp") == null && m.group("base") == null && m.group("index") == null)) {
      return null;
    }
    String d = m.group("disp");
    long disp = 0;
    if (d != null) {
      boolean neg = d.startsWith("-");
      String v = neg ? d.substring(1) : d;
      disp = v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseLong(v);
      disp = neg ? -disp : disp;
    }
    String base = m.group("base");
    boolean rip = "%rip".equals(base);
    String scale = m.group("scale");
    return new MemoryOperand(
        o.startsWith("*") ? o.substring(1) : o,
        m.group("seg"),
        base == null || rip ? null : register(base),
        m.group("index") == null ? null : register(m.group("index")),
        scale == null ? 1 : Integer.parseInt(scale),
        disp,
        rip,
        width,
        access);
  }

  /** {@code %rcx} → {@code RCX}, as the register dump names it. */
  private static String register(String r) {
    return r.substring(1).toUpperCase(Locale.ROOT);
  }

  /** How the instruction uses a memory operand: the AT&amp;T destination is the last operand. */
  private Access access(String bare, boolean last) {
    String base = unsuffixed(bare);
    if (NO_ACCESS.contains(bare) || NO_ACCESS.contains(base) || bare.startsWith("prefetch")) {
      return Access.NONE;
    }
    if (READ_ONLY.contains(base) || bare.startsWith("j")) {
      return Access.READ;
    }
    if (base.equals("xchg") || base.equals("xadd") || base.equals("cmpxchg")) {
      return Access.READ_WRITE;
    }
    if (!last || (operands.size() == 1 && base.equals("push"))) {
      return Access.READ;
    }
    if (WRITE_ONLY.contains(base)
        || bare.startsWith("set")
        || bare.startsWith("movz")
        || bare.startsWith("movs")
        || bare.startsWith("movup")
        || bare.startsWith("movap")) {
      return Access.WRITE;
    }
    return Access.READ_WRITE;
  }

  /** {@code movq} → {@code mov}; a mnemonic without a known suffix is returned as is. */
  private static String unsuffixed(String bare) {
    if (SUFFIXED.contains(bare) || bare.length() < 2) {
      return bare;
    }
    String b = bare.substring(0, bare.length() - 1);
    return "bwlq".indexOf(bare.charAt(bare.length() - 1)) >= 0 && SUFFIXED.contains(b) ? b : bare;
  }

  /**
   * Bytes accessed: the size suffix ({@code movq}), the source size of {@code movzbl}/{@code
   * movslq}, else the width of a general register operand; 0 when unknown.
   */
  private int width(String bare) {
    if ((bare.startsWith("movz") || bare.startsWith("movs")) && bare.length() == 6) {
      return suffixWidth(bare.charAt(4));
    }
    if (!unsuffixed(bare).equals(bare)) {
      return suffixWidth(bare.charAt(bare.length() - 1));
    }
    for (String o : operands) {
      if (o.startsWith("%") && !o.contains(":")) {
        int w = registerWidth(o.substring(1));
        if (w > 0) {
          return w;
        }
      }
    }
    return 0;
  }

  private static int suffixWidth(char c) {
    return switch (c) {
      case 'b' -> 1;
      case 'w' -> 2;
      case 'l' -> 4;
      case 'q' -> 8;
      default -> 0;
    };
  }

  /**
   * Width of a general register by its AT&amp;T name ({@code rsi} 8, {@code esi} 4, {@code r8d} 4).
   */
  private static int registerWidth(String r) {
    if (r.matches("r(?:[abcd]x|[sd]i|[sb]p|8|9|1[0-5])")) {
      return 8;
    }
    if (r.matches("e(?:[abcd]x|[sd]i|[sb]p)|r(?:8|9|1[0-5])d")) {
      return 4;
    }
    if (r.matches("[abcd]x|[sd]i|[sb]p|r(?:8|9|1[0-5])w")) {
      return 2;
    }
    if (r.matches("[abcd][lh]|[sd]il|[sb]pl|r(?:8|9|1[0-5])b")) {
      return 1;
    }
    return 0;
  }

  /** {@link #decoded()}, failing when an operand is not a known form (for tests). */
  DecodedInstruction insn() {
    DecodedInstruction d = decoded();
    if (d == null) {
      throw new IllegalStateException("operand not read: " + text());
    }
    return d;
  }

  /** The instruction resolved against the frame's registers; null when an operand is unknown. */
  public @Nullable FaultingInstruction resolve(ExceptionFrame f) {
    DecodedInstruction d = decoded();
    if (d == null) {
      return null;
    }
    Long ip = f.ip() != null ? f.ip() : Long.valueOf(address);
    return FaultingInstructions.resolve(
        "x86_64", "crash-dis", d, "", ip, f.registers(), f.registers().get("CR2"));
  }
}
