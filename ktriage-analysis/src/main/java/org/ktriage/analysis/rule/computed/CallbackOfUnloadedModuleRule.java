package org.ktriage.analysis.rule.computed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.order.CrashFacts;
import org.ktriage.analysis.order.Primary;
import org.ktriage.analysis.order.ReportView;
import org.ktriage.analysis.rule.ComputedRule;
import org.ktriage.analysis.rule.Hit;
import org.ktriage.analysis.stack.FrameNames;
import org.ktriage.model.AddressKind;
import org.ktriage.model.Evidence;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.Frame;
import org.ktriage.model.Hex;
import org.ktriage.model.LogRecord;

/**
 * Execution of module-area text that no loaded module covers: a work item, RCU callback, notifier,
 * hook or any indirect call into an unloaded module (instruction fetch there, {@code Code: Bad RIP
 * value}, {@code Workqueue: … 0xffffffffc…}; playbook §11).
 */
public final class CallbackOfUnloadedModuleRule implements ComputedRule {

  private static final Pattern WORKQUEUE_RAW =
      Pattern.compile("^Workqueue: (\\S+) (0x[0-9a-f]{8,16})\\b");

  @Override
  public String id() {
    return "callback-of-unloaded-module";
  }

  @Override
  public @Nullable Hit evaluate(CrashFacts f) {
    Hit fault = fromExecution(f);
    if (fault == null) {
      fault = fromDataAccess(f);
    }
    if (fault != null) {
      return fault;
    }
    Hit queued = PendingCallbacks.hit(f, Set.of("work", "hrtimer"));
    if (queued == null) {
      return null;
    }
    Map<String, String> values = new HashMap<>(queued.values());
    values.put("how", "is still queued: " + queued.values().get("how"));
    String cb = queued.values().get("callback");
    if (cb != null) {
      values.put("target", cb);
    }
    return new Hit(values, queued.evidence(), queued.confidence(), queued.missing());
  }

  /**
   * Module-area text no loaded module covers that execution reached, how it was seen, and the
   * callers above it (empty when only the workqueue line showed it).
   */
  private record Target(long address, Evidence evidence, List<Frame> callers) {}

  /**
   * The fault's program counter when it has no symbol and lies in module-area memory no loaded
   * module covers (an instruction fetch in freed module text), or null.
   */
  private static @Nullable Target unnamedModuleText(CrashFacts f, @Nullable Primary p) {
    if (p == null || p.site() == null) {
      return null;
    }
    ExceptionFrame e = p.site().frame();
    Long ip = e.ip();
    boolean unnamed = e.function() == null || e.function().startsWith("0x");
    if (ip == null && unnamed && e.function() != null) {
      ip = parseHex(e.function());
    }
    if (ip == null
        || !unnamed
        || f.addresses().classify(ip) != AddressKind.MODULE_AREA
        || f.moduleCovering(ip).isPresent()) {
      return null;
    }
    return new Target(
        ip,
        Evidence.about(
            "RIP " + Hex.reg(ip) + " has no symbol and lies in the module area", e.source(), ip),
        p.site().outer());
  }

  /**
   * The work function a report's {@code Workqueue:} line prints as a raw address because no symbol
   * covers it (kernel/workqueue.c print_worker_info prints {@code %ps}), when it lies in
   * module-area memory no loaded module covers; the first such line of the first report with one.
   */
  private static @Nullable Target rawWorkFunction(CrashFacts f) {
    for (ReportView v : f.reports()) {
      for (LogRecord l : v.oops().lines()) {
        Matcher m = WORKQUEUE_RAW.matcher(l.text().strip());
        if (!m.find()) {
          continue;
        }
        long fn = Long.parseUnsignedLong(m.group(2).substring(2), 16);
        if (f.addresses().classify(fn) == AddressKind.MODULE_AREA
            && f.moduleCovering(fn).isEmpty()) {
          return new Target(
              fn,
              Evidence.about(
                  "work function printed as a raw address: " + l.text().strip(), l.source(), fn),
              List.of());
        }
      }
    }
    return null;
  }

  private static @Nullable Hit fromExecution(CrashFacts f) {
    Primary p = f.primary();
    Target t = unnamedModuleText(f, p);
    if (t == null) {
      t = rawWorkFunction(f);
    }
    if (t == null) {
      return null;
    }
    long target = t.address();
    List<Frame> callers = t.callers();
    List<Evidence> ev = new ArrayList<>();
    ev.add(t.evidence());
    String dispatcher = "an indirect call";
    String dispatcherFrame = "unknown";
    for (Frame fr : callers) {
      Optional<String> d = FrameNames.callbackDispatcher(fr.function());
      if (d.isPresent() && fr.reliable()) {
        dispatcher = "a " + d.get();
        dispatcherFrame = fr.where();
        ev.add(new Evidence("dispatched by " + fr.where(), fr.source()));
        break;
      }
    }
    Map<String, String> values = new HashMap<>();
    values.put("target", Hex.reg(target));
    values.put("dispatcher", dispatcher);
    values.put("dispatcherFrame", dispatcherFrame);
    values.put(
        "how",
        "was called through "
            + dispatcher
            + ": execution reached "
            + Hex.reg(target)
            + " in the module area, which no loaded module covers");
    org.ktriage.analysis.stack.FaultSite site = p == null ? null : p.site();
    String siteFunction = site == null ? null : site.frame().function();
    if (site != null && siteFunction != null) {
      values.put(
          "faultWhere", TimerOfUnloadedModuleRule.disWhere(siteFunction, site.frame().offset()));
    }
    double confidence = 0.7;
    List<String> missing = new ArrayList<>();
    ModuleUnloads.Unload unloaded = ModuleUnloads.before(f, p == null ? null : p.report());
    if (unloaded != null) {
      values.put("unloaded", unloaded.module());
      values.put("ofModule", " of module " + unloaded.module());
      ev.add(new Evidence(unloaded.how(), unloaded.source()));
      confidence += 0.15;
    } else {
      values.put("ofModule", "");
      missing.add("a module unload before the crash (log | grep -i unload) would name the module");
    }
    if (!f.moduleRangesKnown()) {
      missing.add("module address ranges (crash> mod) to prove nothing covers " + Hex.reg(target));
    }
    return new Hit(values, ev, confidence, missing);
  }

  /**
   * A data access that faulted after a module unload: either in the code that runs other code's
   * callbacks (a work item's worker, RCU's callback batch, a notifier chain walk, hrtimer or
   * tasklet code; the timer softirq is the timer rule's) after the log recorded the unload, or on
   * module-area memory (MODULES_VADDR..MODULES_END, arch/x86/include/asm/pgtable_64_types.h) that
   * no loaded module covers after {@code [last unloaded: X]}: the callback or the object queued on
   * such a list lived in the unloaded module.
   */
  private static @Nullable Hit fromDataAccess(CrashFacts f) {
    Primary p = f.primary();
    if (p == null || p.site() == null || !p.site().isFault()) {
      return null;
    }
    org.ktriage.analysis.stack.FaultSite site = p.site();
    if (p.addressKind() == AddressKind.NULL_PAGE || p.addressKind() == AddressKind.USER) {
      return null; // a NULL or user pointer is the code's own bug, not freed module memory
    }
    ModuleUnloads.Unload unloaded = ModuleUnloads.before(f, p.report());
    if (unloaded == null) {
      return null;
    }
    Dispatch d = dispatchOf(site);
    if (d.timerSoftirq()) {
      return null; // the timer softirq's faults are the timer rule's
    }
    Long addr = p.address();
    boolean moduleArea =
        addr != null
            && p.addressKind() == AddressKind.MODULE_AREA
            && f.moduleCovering(addr).isEmpty()
            && site.frame().module() == null;
    boolean lastUnloaded = f.lastUnloaded() != null;
    if (!(d.kind() != null || (moduleArea && lastUnloaded))) {
      return null;
    }
    return dataAccessHit(f, p, site, d, moduleArea, unloaded);
  }

  /**
   * The callback dispatcher a fault ran under: the faulting frame itself, or only the reliable
   * caller right above it; {@code timerSoftirq} when that code is the timer softirq's.
   */
  private record Dispatch(@Nullable String kind, @Nullable String frame, boolean timerSoftirq) {}

  private static Dispatch dispatchOf(org.ktriage.analysis.stack.FaultSite site) {
    String fn = site.frame().function();
    if (fn != null && FrameNames.isTimerSoftirq(fn)) {
      return new Dispatch(null, null, true);
    }
    if (fn != null) {
      String d = FrameNames.callbackDispatcher(fn).orElse(null);
      if (d != null) {
        return new Dispatch(d, site.frame().where(), false);
      }
    }
    for (Frame fr : site.outer()) {
      if (!fr.reliable()) {
        continue;
      }
      if (FrameNames.isTimerSoftirq(fr.function())) {
        return new Dispatch(null, null, true);
      }
      String d = FrameNames.callbackDispatcher(fr.function()).orElse(null);
      return new Dispatch(d, d == null ? null : fr.where(), false);
    }
    return new Dispatch(null, null, false);
  }

  private static Hit dataAccessHit(
      CrashFacts f,
      Primary p,
      org.ktriage.analysis.stack.FaultSite site,
      Dispatch d,
      boolean moduleArea,
      ModuleUnloads.Unload unloaded) {
    String dispatcher = d.kind();
    String dispatcherFrame = d.frame();
    String fn = site.frame().function();
    Long addr = p.address();
    List<Evidence> ev = new ArrayList<>();
    Map<String, String> values = new HashMap<>();
    double confidence = 0.6;
    StringBuilder how = new StringBuilder();
    if (dispatcher != null) {
      ev.add(new Evidence("fault in " + dispatcher + " code at " + dispatcherFrame, p.source()));
      values.put("dispatcher", "a " + dispatcher);
      values.put("dispatcherFrame", String.valueOf(dispatcherFrame));
      how.append("was run through a ").append(dispatcher).append(": ").append(dispatcherFrame);
      how.append(" faulted");
    } else {
      how.append("was reached: ").append(p.where()).append(" faulted");
    }
    if (addr != null) {
      values.put("address", Hex.reg(addr));
      values.put("target", Hex.reg(addr));
      how.append(" on ").append(Hex.reg(addr));
    }
    if (moduleArea && addr != null) {
      ev.add(
          Evidence.about(
              "fault address " + Hex.reg(addr) + " lies in the module area",
              p.report() == null ? site.frame().source() : p.report().oops().span(),
              addr));
      how.append(", module-area memory that no loaded module covers,");
      confidence += 0.1;
    }
    how.append(" after module ").append(unloaded.module()).append(" was unloaded");
    ev.add(new Evidence(unloaded.how(), unloaded.source()));
    values.put("unloaded", unloaded.module());
    values.put("ofModule", " of module " + unloaded.module());
    values.put("how", how.toString());
    if (fn != null) {
      values.put("faultWhere", TimerOfUnloadedModuleRule.disWhere(fn, site.frame().offset()));
    }
    List<String> missing = new ArrayList<>();
    if (!f.moduleRangesKnown()) {
      missing.add(
          "module address ranges (crash> mod) to prove no loaded module covers the address");
    }
    return new Hit(values, ev, confidence, missing);
  }

  private static @Nullable Long parseHex(String s) {
    try {
      return Long.parseUnsignedLong(s.replaceFirst("^0x", ""), 16);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
