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
import org.ktriage.model.Evidence;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Hex;

/**
 * A #GP with its non-canonical address decoded: poison pattern, KASAN shadow of NULL, ASCII bytes,
 * a one-bit flip of a canonical address, or nothing decodable (playbook §3).
 */
public final class GeneralProtectionFaultRule implements ComputedRule {

  @Override
  public String id() {
    return "general-protection-fault";
  }

  @Override
  public @Nullable Hit evaluate(CrashFacts f) {
    Primary p = f.primary();
    if (p == null
        || !(p.failureClass() == FailureClass.GPF
            || (p.report() != null
                && p.report().oops().headline().contains("general protection")))) {
      return null;
    }
    List<Evidence> ev = new ArrayList<>();
    Map<String, String> values = new HashMap<>();
    List<String> missing = new ArrayList<>();
    if (p.report() != null) {
      ev.add(new Evidence(p.report().oops().headline().strip(), p.report().oops().span()));
    }
    Long a = p.address();
    String analysis;
    double confidence = 0.7;
    org.ktriage.model.FaultingInstruction insn = Instructions.of(p);
    Evidence insnEvidence = Instructions.evidence(p);
    if (insnEvidence != null) {
      ev.add(insnEvidence);
    }
    if (a == null && insn != null && insn.effectiveAddress() != null) {
      // before v5.5 the #GP prints no address: the decoded operand gives it
      long ea = insn.effectiveAddress();
      values.put("gpAddress", Hex.addr(ea));
      analysis = explain(ea) + " (the operand of " + insn.text() + ")";
      confidence = 0.75;
    } else if (a == null) {
      analysis =
          "the kernel did not print the address (before v5.5, or a segment/privileged-instruction"
              + " #GP); decode the instruction at RIP to find the bad operand";
      missing.add("the decoded address (v5.5+ prints it) or the instruction (crash> dis -rl RIP)");
      confidence = 0.5;
    } else {
      values.put("gpAddress", Hex.addr(a));
      analysis = explain(a);
      confidence = 0.8;
    }
    values.put("analysis", analysis);
    if (p.function() != null) {
      ev.add(
          new Evidence(
              "RIP " + p.where(), p.site() == null ? p.source() : p.site().frame().source()));
    }
    return new Hit(values, ev, confidence, missing);
  }

  /** What a #GP address means. */
  static String explain(long a) {
    Optional<AddressClassifier.Poison> poison = AddressClassifier.poison(a);
    if (poison.isPresent()) {
      return Hex.addr(a) + " is " + poison.get().name() + ": " + poison.get().meaning();
    }
    if (!AddressClassifier.isNonCanonical(a)) {
      return Hex.addr(a)
          + " is canonical: the #GP has another cause (segment, privileged instruction, SSE"
          + " alignment) or the operand adds an index";
    }
    if (ascii(a)) {
      return Hex.addr(a) + " is printable ASCII: a string overwrote a pointer (buffer overflow)";
    }
    for (int bit = 47; bit < 64; bit++) {
      long flipped = a ^ (1L << bit);
      if (!AddressClassifier.isNonCanonical(flipped)) {
        return Hex.addr(a)
            + " is one bit (bit "
            + bit
            + ") away from canonical "
            + Hex.addr(flipped)
            + ": a bit flip (check for hardware errors) or a corrupted pointer";
      }
    }
    return Hex.addr(a)
        + " is non-canonical with no poison pattern: a corrupted or uninitialised pointer, or a"
        + " hardened SLUB freelist pointer read from a freed object";
  }

  private static boolean ascii(long a) {
    for (int i = 0; i < 8; i++) {
      long b = (a >>> (8 * i)) & 0xff;
      if (b < 0x20 || b > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
