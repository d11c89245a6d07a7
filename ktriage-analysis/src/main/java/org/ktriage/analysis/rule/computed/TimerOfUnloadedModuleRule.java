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
import org.ktriage.model.FaultingInstruction;
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
    String timerFrame = timerFrame(p, site);
    if (timerFrame == null) {
      return null;
    }
    ModuleAddress m = moduleAddress(f, p, site);
    if (m == null) {
      // no module-area address (another architecture's layout, no CR2): the log's own record
      // of an unload before the fault still makes it the pattern, and names the module
      return fromUnloadMessage(f, p, site, timerFrame);
    }
    long addr = m.value();
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
            accessDescription(m, Instructions.pointer(p)) + " lies in the module area",
            m.register() == null && p.report() != null
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
    if (m.register() != null && !m.decoded()) {
      missing.add("CR2 (the fault address) was not printed; " + m.register() + " was used instead");
    }
    return new Hit(values, ev, Math.min(confidence, 0.95), missing);
  }

  /**
   * The timer-softirq frame the fault is in: the faulting function itself, or the reliable caller
   * right above it (only that one counts); null when neither is timer code.
   */
  private static @Nullable String timerFrame(Primary p, FaultSite site) {
    if (p.function() != null && FrameNames.isTimerSoftirq(p.function())) {
      return p.where();
    }
    for (Frame fr : site.outer()) {
      if (fr.reliable()) {
        return FrameNames.isTimerSoftirq(fr.function()) ? fr.where() : null;
      }
    }
    return null;
  }

  /**
   * A module-area address the fault used, the register it came from (null when the report printed
   * it) and whether the decoded faulting instruction named that register (no guess).
   */
  private record ModuleAddress(long value, @Nullable String register, boolean decoded) {}

  /**
   * The fault's address when it lies in the module area; without one (no CR2: a crash session), the
   * decoded instruction's access, else a register of the faulting frame holding a module-area
   * value; null when none does.
   */
  private static @Nullable ModuleAddress moduleAddress(CrashFacts f, Primary p, FaultSite site) {
    Long printed = p.address();
    if (printed != null
        && (p.addressKind() == AddressKind.MODULE_AREA || moduleAreaInMemory(f, printed))) {
      return new ModuleAddress(printed, p.addressRegister(), false);
    }
    Instructions.Pointer ptr = Instructions.pointer(p);
    if (ptr != null
        && (f.addresses().classify(ptr.value()) == AddressKind.MODULE_AREA
            || moduleAreaInMemory(f, ptr.value()))) {
      // the decoded instruction names the register, no guessing
      FaultingInstruction insn = Instructions.of(p);
      Long ea = insn == null ? null : insn.effectiveAddress();
      return new ModuleAddress(ea != null ? ea : ptr.value(), ptr.register(), true);
    }
    FaultAddress.RegisterGuess g = FaultAddress.guess(f, site.frame());
    return g != null && g.kind() == AddressKind.MODULE_AREA
        ? new ModuleAddress(g.value(), g.register(), false)
        : null;
  }

  /**
   * The dump's memory puts {@code addr} in the module area ({@code kmem}: a loaded module's region
   * or module-area memory no module covers), where the layout alone cannot: arm64 randomizes its
   * module range (module_alloc_base) inside the vmalloc area.
   */
  private static boolean moduleAreaInMemory(CrashFacts f, long addr) {
    for (AddressFact fact : f.report().addressFacts()) {
      if (fact.address() == addr
          && (fact.kind().equals("freed-module-area") || fact.kind().equals("module"))) {
        return true;
      }
    }
    return false;
  }

  /** What held the module-area address: the fault address, or the faulting instruction's access. */
  private static String accessDescription(ModuleAddress m, Instructions.@Nullable Pointer ptr) {
    String a = Hex.reg(m.value());
    String register = m.register();
    if (register == null) {
      return "fault address " + a;
    }
    if (ptr != null && register.equals(ptr.register()) && ptr.value() != m.value()) {
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
