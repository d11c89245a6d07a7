package org.ktriage.analysis.rule.computed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.order.CauseOrder;
import org.ktriage.analysis.order.CrashFacts;
import org.ktriage.analysis.order.Primary;
import org.ktriage.analysis.rule.ComputedRule;
import org.ktriage.analysis.rule.Hit;
import org.ktriage.analysis.stack.FaultSite;
import org.ktriage.analysis.stack.FrameNames;
import org.ktriage.model.AddressKind;
import org.ktriage.model.Evidence;
import org.ktriage.model.Frame;
import org.ktriage.model.Hex;

/**
 * A fault in timer-softirq code on an address in the module area that no loaded module covers: a
 * timer of an unloaded module was still queued (playbook §11; seed case, lab timer-after-unload).
 */
public final class TimerOfUnloadedModuleRule implements ComputedRule {

  @Override
  public String id() {
    return "timer-of-unloaded-module";
  }

  @Override
  public @Nullable Hit evaluate(CrashFacts f) {
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
    if (addr == null || p.addressKind() != AddressKind.MODULE_AREA) {
      CauseOrder.RegisterGuess g = CauseOrder.guessAddress(f, site.frame());
      if (g == null || g.kind() != AddressKind.MODULE_AREA) {
        return null;
      }
      addr = g.value();
      register = g.register();
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
        new Evidence(
            (register == null ? "fault address " : "faulting instruction's " + register + " = ")
                + a
                + " lies in the module area",
            register == null && p.report() != null
                ? p.report().oops().span()
                : site.frame().source()));
    if (f.moduleRangesKnown()) {
      ev.add(new Evidence("no loaded module covers " + a + " (module list checked)", null));
      confidence += 0.05;
    } else {
      missing.add("module address ranges (crash> mod) to prove no loaded module covers " + a);
    }
    Map<String, String> values = new HashMap<>();
    values.put("address", a);
    values.put("timerFrame", timerFrame);
    String unloaded = f.lastUnloaded();
    if (unloaded != null) {
      values.put("unloaded", unloaded);
      values.put("ofModule", " of module " + unloaded);
      ev.add(new Evidence("[last unloaded: " + unloaded + "]", lastUnloadedSource(f)));
      confidence += 0.15;
    } else {
      values.put("ofModule", "");
      missing.add("a module unload in the log (log | grep -i unload) would name the module");
    }
    if (register != null) {
      missing.add("CR2 (the fault address) was not printed; " + register + " was used instead");
    }
    return new Hit(values, ev, Math.min(confidence, 0.95), missing);
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
