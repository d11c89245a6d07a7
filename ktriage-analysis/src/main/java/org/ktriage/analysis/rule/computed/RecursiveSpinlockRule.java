package org.ktriage.analysis.rule.computed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.order.CrashFacts;
import org.ktriage.analysis.rule.ComputedRule;
import org.ktriage.analysis.rule.Hit;
import org.ktriage.analysis.stack.FaultSite;
import org.ktriage.analysis.stack.FrameNames;
import org.ktriage.model.Evidence;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.Hex;

/**
 * A CPU spinning in a spinlock function on a lock (first argument: RDI / x0 of the innermost
 * exception frame) whose address is also in the saved registers of an interrupted outer context on
 * the same CPU: that context holds the lock and cannot run until the spinner stops (AA deadlock,
 * playbook §10; seed case).
 */
public final class RecursiveSpinlockRule implements ComputedRule {

  /** The rule id. */
  public static final String ID = "recursive-spinlock";

  /** The value naming where the spinning CPU is stuck ({@code function+0xoff}). */
  public static final String SPINNER = "spinner";

  @Override
  public String id() {
    return ID;
  }

  /** The spinning frame and the holder found on one stack. */
  public record Match(
      @Nullable Integer cpu,
      FaultSite spinner,
      FaultSite holder,
      long lock,
      String holderRegister) {}

  /** The first recursive acquisition found, or null. */
  public static @Nullable Match find(CrashFacts f) {
    for (Sites s : Sites.all(f)) {
      List<FaultSite> sites = s.sites();
      for (FaultSite spin : sites) {
        String fn = spin.frame().function();
        if (fn == null || !FrameNames.isSpinlock(fn)) {
          continue;
        }
        Long lock = firstArgument(spin.frame());
        if (lock == null || lock == 0) {
          continue;
        }
        for (FaultSite outer : sites) {
          if (outer.depth() <= spin.depth()) {
            continue;
          }
          List<String> holding = new ArrayList<>();
          for (Map.Entry<String, Long> r : outer.frame().registers().values().entrySet()) {
            if (r.getValue().equals(lock)
                && !r.getKey().equals("RSP")
                && !r.getKey().equals("SP")) {
              holding.add(r.getKey());
            }
          }
          if (!holding.isEmpty()) {
            // The first argument register first: the holder passed the same lock to a call.
            holding.sort((a, b) -> Boolean.compare(!isArg(a), !isArg(b)));
            return new Match(s.cpu(), spin, outer, lock, String.join(" and ", holding));
          }
        }
      }
    }
    return null;
  }

  /**
   * Registers that show the holder works with the lock rather than happening to hold its value: the
   * first-argument register (it passed the lock to a call: {@code spin_lock(lock)}, {@code
   * spin_unlock(lock)}) and the callee-saved registers, where the compiler keeps a value the
   * function still needs after the calls it makes, as code between lock and unlock needs the lock's
   * address (x86-64 psABI: RBX, RBP, R12–R15; AAPCS64: X19–X28).
   */
  private static final java.util.Set<String> LIVE_ACROSS_CALLS =
      java.util.Set.of(
          "RDI", "RBX", "RBP", "R12", "R13", "R14", "R15", "X0", "X19", "X20", "X21", "X22", "X23",
          "X24", "X25", "X26", "X27", "X28");

  /**
   * True when one of the holder's registers with the lock value keeps it live across calls; a value
   * only in scratch registers (RAX, RCX, RDX, RSI, R8–R11) may be a leftover.
   */
  static boolean keptLive(String holderRegisters) {
    for (String r : holderRegisters.split(" and ", -1)) {
      if (LIVE_ACROSS_CALLS.contains(r)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isArg(String register) {
    return register.equals("RDI") || register.equals("X0");
  }

  private static @Nullable Long firstArgument(ExceptionFrame e) {
    Long v = e.registers().get("RDI");
    return v != null ? v : e.registers().get("X0");
  }

  @Override
  public @Nullable Hit evaluate(CrashFacts f) {
    Match m = find(f);
    if (m == null) {
      return null;
    }
    ExceptionFrame spin = m.spinner().frame();
    ExceptionFrame holder = m.holder().frame();
    String lock = Hex.reg(m.lock());
    List<Evidence> ev = new ArrayList<>();
    ev.add(
        Evidence.about(
            "spinning in " + spin.where() + " with RDI (the lock) = " + lock,
            spin.source(),
            m.lock()));
    ev.add(
        Evidence.about(
            "interrupted "
                + holder.where()
                + " ("
                + m.holder().context().id()
                + ") has "
                + m.holderRegister()
                + " = "
                + lock
                + ": it holds that lock",
            holder.source(),
            m.lock()));
    String irqs = irqState(spin) + "; " + irqState(holder);
    ev.add(new Evidence("interrupt flag: " + irqs, spin.source()));
    List<String> missing = new ArrayList<>();
    double confidence = keptLive(m.holderRegister()) ? 0.9 : 0.8;
    missing.add(
        "the lock word itself (crash> struct raw_spinlock " + lock + ") would show it is held");
    Map<String, String> values = new java.util.HashMap<>();
    if (m.cpu() != null) {
      values.put("cpu", Integer.toString(m.cpu()));
    }
    values.putAll(
        Map.of(
            "lock",
            lock,
            SPINNER,
            spin.where(),
            "holder",
            holder.where(),
            "holderContext",
            m.holder().context().id(),
            "holderRegister",
            m.holderRegister()));
    return new Hit(values, ev, confidence, missing);
  }

  private static String irqState(ExceptionFrame e) {
    Long flags = e.registers().get("RFLAGS");
    if (flags == null) {
      flags = e.registers().get("EFLAGS");
    }
    if (flags == null) {
      return e.where() + " flags unknown";
    }
    return e.where()
        + " IF="
        + (((flags & 0x200) != 0) ? "1 (interrupts on)" : "0 (interrupts off)");
  }
}
