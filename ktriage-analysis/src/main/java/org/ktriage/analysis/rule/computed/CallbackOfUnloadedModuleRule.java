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

  private static @Nullable Hit fromExecution(CrashFacts f) {
    Primary p = f.primary();
    Long target = null;
    Evidence targetEvidence = null;
    List<Frame> callers = List.of();
    if (p != null && p.site() != null) {
      ExceptionFrame e = p.site().frame();
      Long ip = e.ip();
      boolean unnamed = e.function() == null || e.function().startsWith("0x");
      if (ip == null && unnamed && e.function() != null) {
        ip = parseHex(e.function());
      }
      if (ip != null
          && unnamed
          && f.addresses().classify(ip) == AddressKind.MODULE_AREA
          && f.moduleCovering(ip).isEmpty()) {
        target = ip;
        targetEvidence =
            Evidence.about(
                "RIP " + Hex.reg(ip) + " has no symbol and lies in the module area",
                e.source(),
                ip);
        callers = p.site().outer();
      }
    }
    if (target == null) {
      for (ReportView v : f.reports()) {
        for (LogRecord l : v.oops().lines()) {
          Matcher m = WORKQUEUE_RAW.matcher(l.text().strip());
          if (m.find()) {
            long fn = Long.parseUnsignedLong(m.group(2).substring(2), 16);
            if (f.addresses().classify(fn) == AddressKind.MODULE_AREA
                && f.moduleCovering(fn).isEmpty()) {
              target = fn;
              targetEvidence =
                  Evidence.about(
                      "work function printed as a raw address: " + l.text().strip(),
                      l.source(),
                      fn);
              break;
            }
          }
        }
      }
    }
    if (target == null) {
      return null;
    }
    List<Evidence> ev = new ArrayList<>();
    ev.add(targetEvidence);
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
    String unloaded = f.lastUnloaded();
    if (unloaded != null) {
      values.put("unloaded", unloaded);
      values.put("ofModule", " of module " + unloaded);
      ev.add(
          new Evidence(
              "[last unloaded: " + unloaded + "]",
              TimerOfUnloadedModuleRule.lastUnloadedSource(f)));
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

  private static @Nullable Long parseHex(String s) {
    try {
      return Long.parseUnsignedLong(s.replaceFirst("^0x", ""), 16);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
