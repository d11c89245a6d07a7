package org.ktriage.analysis.rule.computed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.order.CrashFacts;
import org.ktriage.analysis.order.FaultAddress;
import org.ktriage.analysis.order.Primary;
import org.ktriage.analysis.rule.ComputedRule;
import org.ktriage.analysis.rule.Hit;
import org.ktriage.analysis.stack.FaultSite;
import org.ktriage.analysis.stack.FrameNames;
import org.ktriage.model.AddressFact;
import org.ktriage.model.AddressKind;
import org.ktriage.model.Evidence;
import org.ktriage.model.Frame;
import org.ktriage.model.Hex;
import org.ktriage.model.PendingCallback;

/**
 * A timer of an unloaded module was still queued (playbook §11; seed case, lab timer-after-unload):
 * either a fault in timer-softirq code on an address in the module area that no loaded module
 * covers, or, from a dump's memory alone, a timer still on a timer wheel whose {@code timer_list}
 * or callback lies in such memory (latent: found even when the dump was taken for another reason).
 */
public final class TimerOfUnloadedModuleRule implements ComputedRule {

  @Override
  public String id() {
    return "timer-of-unloaded-module";
  }

  @Override
  public @Nullable Hit evaluate(CrashFacts f) {
    Hit fault = fromFault(f);
    if (fault == null) {
      return PendingCallbacks.hit(f, Set.of("timer"));
    }
    List<PendingCallback> queued = PendingCallbacks.orphans(f, Set.of("timer"));
    if (queued.isEmpty()) {
      return fault;
    }
    // the dump's memory shows the timer itself: still on the wheel, in freed module memory
    List<Evidence> ev = new ArrayList<>(fault.evidence());
    for (PendingCallback q : queued) {
      ev.add(
          new Evidence(
              "still on the timer wheel: " + PendingCallbacks.describe(f, q),
              q.source(),
              PendingCallbacks.addresses(q)));
    }
    Map<String, String> values = new HashMap<>(fault.values());
    values.put("timer", Hex.reg(queued.get(0).object()));
    return new Hit(values, ev, Math.min(fault.confidence() + 0.05, 0.95), fault.missing());
  }

  private static @Nullable Hit fromFault(CrashFacts f) {
    Primary p = f.primary();
    if (p == null || p.site() == null || !p.site().isFault()) {
      return null;
    }
    FaultSite site = p.site();
    String timerFrame = null;
    if (p.function() != null && FrameNames.isTimerSoftirq(p.function())) {
      timerFrame = p.where();
    } else {
      for (Frame fr : site.outer()) {
        if (fr.reliable() && FrameNames.isTimerSoftirq(fr.function())) {
          timerFrame = fr.where();
          break;
        }
        if (fr.reliable()) {
          break; // only the caller right above the fault counts
        }
      }
    }
    if (timerFrame == null) {
      return null;
    }
    Long addr = p.address();
    String register = p.addressRegister();
    boolean decoded = false;
    Instructions.Pointer ptr = Instructions.pointer(p);
    org.ktriage.model.FaultingInstruction insn = Instructions.of(p);
    if ((addr == null || p.addressKind() != AddressKind.MODULE_AREA)
        && ptr != null
        && f.addresses().classify(ptr.value()) == AddressKind.MODULE_AREA) {
      // no CR2 (a crash session): the decoded instruction names the register, no guessing
      Long ea = insn == null ? null : insn.effectiveAddress();
      addr = ea != null ? ea : ptr.value();
      register = ptr.register();
      decoded = true;
    } else if (addr == null || p.addressKind() != AddressKind.MODULE_AREA) {
      FaultAddress.RegisterGuess g = FaultAddress.guess(f, site.frame());
      if (g != null && g.kind() == AddressKind.MODULE_AREA) {
        addr = g.value();
        register = g.register();
      } else {
        // no module-area address (another architecture's layout, no CR2): the log's own record
        // of an unload before the fault still makes it the pattern, and names the module
        return fromUnloadMessage(f, p, site, timerFrame);
      }
    }
    if (f.moduleCovering(addr).isPresent()) {
      return null;
    }
    List<Evidence> ev = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    double confidence = 0.75;
    String a = Hex.reg(addr);
    ev.add(
        new Evidence(
            "fault in the timer softirq at " + p.where() + " (" + p.context().id() + ")",
            p.source()));
    ev.add(
        Evidence.about(
            operand(register, ptr, addr) + " lies in the module area",
            register == null && p.report() != null
                ? p.report().oops().span()
                : site.frame().source(),
            addr));
    Evidence insnEvidence = Instructions.evidence(p);
    if (insnEvidence != null) {
      ev.add(insnEvidence);
    }
    if (f.moduleRangesKnown()) {
      ev.add(Evidence.about("no loaded module covers " + a + " (module list checked)", null, addr));
      confidence += 0.05 + freedModuleMemory(f, addr, ev);
    } else {
      missing.add("module address ranges (crash> mod) to prove no loaded module covers " + a);
    }
    Map<String, String> values = new HashMap<>();
    values.put("address", a);
    values.put("timerFrame", timerFrame);
    values.put(
        "how",
        timerFrame
            + " in the timer softirq faulted on "
            + a
            + ", module-area memory that no loaded module covers");
    String fn = site.frame().function();
    if (fn != null) {
      values.put("faultWhere", disWhere(fn, site.frame().offset()));
    }
    ModuleUnloads.Unload unloaded = ModuleUnloads.before(f, p.report());
    if (unloaded != null) {
      values.put("unloaded", unloaded.module());
      values.put("ofModule", " of module " + unloaded.module());
      ev.add(new Evidence(unloaded.how(), unloaded.source()));
      confidence += 0.15;
    } else {
      values.put("ofModule", "");
      missing.add("a module unload in the log (log | grep -i unload) would name the module");
    }
    if (register != null && !decoded) {
      missing.add("CR2 (the fault address) was not printed; " + register + " was used instead");
    }
    return new Hit(values, ev, Math.min(confidence, 0.95), missing);
  }

  /** How the evidence names the address: the fault address, or the operand's register. */
  private static String operand(
      @Nullable String register, Instructions.@Nullable Pointer ptr, long addr) {
    String a = Hex.reg(addr);
    if (register == null) {
      return "fault address " + a;
    }
    if (ptr != null && register.equals(ptr.register()) && ptr.value() != addr) {
      // the operand's displacement was added: name the register's own value too
      return "faulting instruction's access at "
          + a
          + " ("
          + register
          + " = "
          + Hex.reg(ptr.value())
          + " plus the displacement)";
    }
    return "faulting instruction's " + register + " = " + a;
  }

  /**
   * From a dump: what the address is in its memory, as {@code crash}'s {@code kmem} says it (read
   * by the dump reader into the report's address facts): module-area memory that no module on the
   * {@code modules} list covers, the freed memory of an unloaded module. Added to {@code ev};
   * returns the confidence it adds.
   */
  private static double freedModuleMemory(CrashFacts f, long addr, List<Evidence> ev) {
    for (AddressFact fact : f.report().addressFacts()) {
      if (fact.address() == addr && fact.kind().equals("freed-module-area")) {
        ev.add(
            Evidence.about(
                String.format("kmem %016x: %s", addr, fact.description()), fact.source(), addr));
        return 0.05;
      }
    }
    return 0;
  }

  /**
   * A fault in the timer softirq on an address not shown to be module memory, after the log
   * recorded a module unload: the timer of that module is the likely one (timer code touches
   * nothing of a module but its queued timers and their callbacks).
   */
  private static @Nullable Hit fromUnloadMessage(
      CrashFacts f, Primary p, FaultSite site, String timerFrame) {
    ModuleUnloads.Unload unloaded = ModuleUnloads.before(f, p.report());
    if (unloaded == null
        || p.addressKind() == AddressKind.NULL_PAGE
        || p.addressKind() == AddressKind.USER) {
      return null;
    }
    List<Evidence> ev = new ArrayList<>();
    ev.add(
        new Evidence(
            "fault in the timer softirq at " + p.where() + " (" + p.context().id() + ")",
            p.source()));
    ev.add(
        new Evidence(
            "module " + unloaded.module() + " unloaded before: " + unloaded.how(),
            unloaded.source()));
    Map<String, String> values = new HashMap<>();
    values.put("timerFrame", timerFrame);
    values.put("unloaded", unloaded.module());
    values.put("ofModule", " of module " + unloaded.module());
    String a = p.address() == null ? null : Hex.reg(p.address());
    if (a != null) {
      values.put("address", a);
    }
    values.put(
        "how",
        timerFrame
            + " in the timer softirq faulted"
            + (a == null ? "" : " on " + a)
            + " after module "
            + unloaded.module()
            + " was unloaded");
    String fn = site.frame().function();
    if (fn != null) {
      values.put("faultWhere", disWhere(fn, site.frame().offset()));
    }
    List<String> missing = new ArrayList<>();
    missing.add(
        "the module's address range (crash> mod, or its load address) to show the fault address"
            + " was its memory");
    return new Hit(values, ev, 0.6, missing);
  }

  /** {@code func+decimal offset}, as {@code crash dis -l} takes it. */
  static String disWhere(String function, @Nullable String hexOffset) {
    if (hexOffset == null) {
      return function;
    }
    try {
      return function + "+" + Long.parseLong(hexOffset.replaceFirst("^0x", ""), 16);
    } catch (NumberFormatException e) {
      return function + "+" + hexOffset;
    }
  }

  static org.ktriage.model.@Nullable SourceSpan lastUnloadedSource(CrashFacts f) {
    for (var v : f.reports()) {
      if (v.oops().lastUnloaded() != null) {
        for (var l : v.oops().lines()) {
          if (l.text().contains("last unloaded")) {
            return l.source();
          }
        }
        return v.oops().span();
      }
    }
    return null;
  }
}
