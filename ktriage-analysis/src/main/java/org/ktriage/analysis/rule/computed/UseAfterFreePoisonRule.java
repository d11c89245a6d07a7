package org.ktriage.analysis.rule.computed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.address.AddressClassifier;
import org.ktriage.analysis.order.CrashFacts;
import org.ktriage.analysis.order.Primary;
import org.ktriage.analysis.rule.ComputedRule;
import org.ktriage.analysis.rule.Hit;
import org.ktriage.model.AddressFact;
import org.ktriage.model.Evidence;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.Hex;

/**
 * Slab poison (0x6b POISON_FREE, 0x5a POISON_INUSE), LIST_POISON1/2 or other {@code 0xdead…} values
 * in the fault address or the failing frame's registers: the code used freed or deleted memory
 * (playbook §4, §5).
 */
public final class UseAfterFreePoisonRule implements ComputedRule {

  @Override
  public String id() {
    return "use-after-free-poison";
  }

  @Override
  public @Nullable Hit evaluate(CrashFacts f) {
    Primary p = f.primary();
    if (p == null) {
      return null;
    }
    List<Evidence> ev = new ArrayList<>();
    Map<String, String> values = new HashMap<>();
    Optional<AddressClassifier.Poison> found = Optional.empty();
    double confidence = 0.0;
    if (p.address() != null) {
      found = AddressClassifier.poison(p.address());
      if (found.isPresent()) {
        values.put("value", Hex.reg(p.address()));
        values.put("where", "the fault address");
        ev.add(
            Evidence.about(
                "fault address " + Hex.reg(p.address()) + " = " + found.get().name(),
                p.report() == null ? p.source() : p.report().oops().span(),
                p.address()));
        confidence = 0.85;
      }
    }
    Instructions.Pointer ptr = Instructions.pointer(p);
    if (found.isEmpty() && ptr != null) {
      // the faulting instruction's base register held the address: no need to guess among all
      Optional<AddressClassifier.Poison> bp = AddressClassifier.poison(ptr.value());
      if (bp.isPresent() && !bp.get().name().startsWith("KASAN")) {
        found = bp;
        values.put("value", Hex.reg(ptr.value()));
        values.put("where", "register " + ptr.register() + ", the faulting instruction's base");
        confidence = 0.8;
      }
    }
    Evidence insn = Instructions.evidence(p);
    boolean insnPointsAtPoison =
        ptr != null
            && (AddressClassifier.poison(ptr.value()).isPresent()
                || (ptr.explainsFault() && found.isPresent()));
    if (insn != null && insnPointsAtPoison) {
      ev.add(insn);
    }
    ExceptionFrame e = p.site() == null ? null : p.site().frame();
    if (e != null) {
      for (Map.Entry<String, Long> r : e.registers().values().entrySet()) {
        if (r.getKey().equals("RIP") || r.getKey().startsWith("CR")) {
          continue;
        }
        Optional<AddressClassifier.Poison> rp = AddressClassifier.poison(r.getValue());
        if (rp.isPresent() && !rp.get().name().startsWith("KASAN")) {
          ev.add(
              Evidence.about(
                  r.getKey() + ": " + Hex.reg(r.getValue()) + " = " + rp.get().name(),
                  e.source(),
                  r.getValue()));
          if (found.isEmpty()) {
            found = rp;
            values.put("value", Hex.reg(r.getValue()));
            values.put("where", "register " + r.getKey());
            confidence = 0.6;
          }
        }
      }
    }
    if (found.isEmpty() || found.get().name().startsWith("KASAN")) {
      return null;
    }
    values.put("poison", found.get().name());
    values.put("meaning", found.get().meaning());
    List<String> missing = new ArrayList<>();
    // from a dump: a register of the failing context pointing into a free slab object is the
    // freed object itself (SLUB's freelists, read as crash's kmem does)
    boolean freeObject = false;
    if (e != null) {
      for (AddressFact a : f.report().addressFacts()) {
        if (!a.kind().equals("slab-free") || !e.registers().values().containsValue(a.address())) {
          continue;
        }
        ev.add(
            Evidence.about(
                String.format("%016x: %s", a.address(), a.description()), a.source(), a.address()));
        freeObject = true;
      }
    }
    if (freeObject) {
      confidence = Math.min(0.95, confidence + 0.1);
    } else {
      missing.add("the object's slab state (crash> kmem -s <object>) to confirm it was freed");
    }
    return new Hit(values, ev, confidence, missing);
  }
}
