package org.ktriage.analysis.rule.computed;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
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

  /** The poison found, the value that held it, where, and how sure the place makes it. */
  private record Found(
      AddressClassifier.Poison poison, long value, String where, double confidence) {}

  @Override
  public @Nullable Hit evaluate(CrashFacts f) {
    Primary p = f.primary();
    if (p == null) {
      return null;
    }
    List<Evidence> ev = new ArrayList<>();
    Found found = inFaultAddress(p, ev);
    Instructions.Pointer ptr = Instructions.pointer(p);
    if (found == null && ptr != null) {
      found = inBaseRegister(ptr);
    }
    Evidence insn = Instructions.evidence(p);
    boolean insnPointsAtPoison =
        ptr != null
            && (AddressClassifier.poison(ptr.value()).isPresent()
                || (ptr.explainsFault() && found != null));
    if (insn != null && insnPointsAtPoison) {
      ev.add(insn);
    }
    ExceptionFrame e = p.site() == null ? null : p.site().frame();
    Found inRegisters = e == null ? null : inRegisters(e, ev);
    if (found == null) {
      found = inRegisters;
    }
    if (found == null || found.poison().name().startsWith("KASAN")) {
      return null;
    }
    Map<String, String> values = new HashMap<>();
    values.put("value", Hex.reg(found.value()));
    values.put("where", found.where());
    values.put("poison", found.poison().name());
    values.put("meaning", found.poison().meaning());
    List<String> missing = new ArrayList<>();
    double confidence = found.confidence();
    if (e != null && freeObject(f, e, ev)) {
      confidence = Math.min(0.95, confidence + 0.1);
    } else {
      missing.add("the object's slab state (crash> kmem -s <object>) to confirm it was freed");
    }
    return new Hit(values, ev, confidence, missing);
  }

  /** Poison (any, KASAN's shadow values included) in the report's fault address. */
  private static @Nullable Found inFaultAddress(Primary p, List<Evidence> ev) {
    Long address = p.address();
    Optional<AddressClassifier.Poison> poison =
        address == null ? Optional.empty() : AddressClassifier.poison(address);
    if (address == null || poison.isEmpty()) {
      return null;
    }
    ev.add(
        Evidence.about(
            "fault address " + Hex.reg(address) + " = " + poison.get().name(),
            p.report() == null ? p.source() : p.report().oops().span(),
            address));
    return new Found(poison.get(), address, "the fault address", 0.85);
  }

  /**
   * Poison in the faulting instruction's base register, which held the address: no need to guess
   * among all registers.
   */
  private static @Nullable Found inBaseRegister(Instructions.Pointer ptr) {
    Optional<AddressClassifier.Poison> bp = AddressClassifier.poison(ptr.value());
    if (bp.isEmpty() || bp.get().name().startsWith("KASAN")) {
      return null;
    }
    return new Found(
        bp.get(),
        ptr.value(),
        "register " + ptr.register() + ", the faulting instruction's base",
        0.8);
  }

  /**
   * Every general register of the failing frame that holds poison (not KASAN's), as evidence; the
   * first of them.
   */
  private static @Nullable Found inRegisters(ExceptionFrame e, List<Evidence> ev) {
    Found first = null;
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
        if (first == null) {
          first = new Found(rp.get(), r.getValue(), "register " + r.getKey(), 0.6);
        }
      }
    }
    return first;
  }

  /**
   * From a dump: a register of the failing context pointing into a free slab object is the freed
   * object itself (SLUB's freelists, read as crash's kmem does). One evidence line per freed
   * object, naming the registers that hold the address nearest its start: {@code kmem ADDR (REG): N
   * bytes into FREE object … of slab cache X …, on the slab's freelist}; the other addresses into
   * it are cited with it.
   */
  private static boolean freeObject(CrashFacts f, ExceptionFrame e, List<Evidence> ev) {
    Map<Long, List<AddressFact>> byObject = new LinkedHashMap<>();
    for (AddressFact a : f.report().addressFacts()) {
      if (a.kind().equals("slab-free") && e.registers().values().containsValue(a.address())) {
        byObject.computeIfAbsent(a.start(), o -> new ArrayList<>()).add(a);
      }
    }
    for (List<AddressFact> facts : byObject.values()) {
      // the address nearest the object's start speaks for it; the others are named beside it
      facts.sort(Comparator.comparingLong(a -> a.address() - a.start()));
      AddressFact first = facts.get(0);
      List<String> regs = new ArrayList<>();
      List<Long> cited = new ArrayList<>();
      for (AddressFact a : facts) {
        cited.add(a.address());
      }
      for (Map.Entry<String, Long> r : e.registers().values().entrySet()) {
        if (r.getValue() == first.address()) {
          regs.add(r.getKey());
        }
      }
      ev.add(
          new Evidence(
              String.format(
                  "kmem %016x (%s): %s",
                  first.address(), String.join(", ", regs), first.description()),
              first.source(),
              cited));
    }
    return !byObject.isEmpty();
  }
}
