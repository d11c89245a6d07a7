package org.ktriage.analysis.rule.computed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.order.CrashFacts;
import org.ktriage.analysis.order.Primary;
import org.ktriage.analysis.rule.ComputedRule;
import org.ktriage.analysis.rule.DataRule;
import org.ktriage.analysis.rule.Hit;
import org.ktriage.analysis.stack.FrameNames;
import org.ktriage.model.AddressFact;
import org.ktriage.model.Evidence;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Frame;

/**
 * A free of memory that is not a live object: the report says so (KASAN's and KFENCE's double-free
 * and invalid-free, SLUB's "Object already free": the report-kind table's double-free class), or
 * the dump's memory shows it for a failure the text alone leaves a BUG. The latter: the failure
 * stopped the slab allocator's free path ({@code kfree}, {@code kmem_cache_free} and the SLUB
 * functions they inline), and a register of that frame points at an object SLUB already keeps on a
 * freelist (the slab's own, or a CPU's), as {@code crash}'s {@code kmem} tells it. SLUB stops such
 * a free itself: {@code set_freepointer()}'s {@code BUG_ON(object == fp)} under
 * CONFIG_SLAB_FREELIST_HARDENED when the object heads the CPU freelist (mm/slub.c, "naive detection
 * of double free or corruption"), slub_debug's "Object already free" otherwise ({@code
 * free_consistency_checks} → {@code on_freelist}). The caller that freed is the first frame outside
 * the allocator.
 */
public final class DoubleFreeRule implements ComputedRule {

  @Override
  public String id() {
    return "double-free";
  }

  /** A free object one of the failing frame's registers holds, in the slab free path. */
  private record Freed(AddressFact fact, String register, ExceptionFrame frame) {
    String where() {
      return frame.function() + (frame.offset() == null ? "" : "+" + frame.offset());
    }

    Evidence evidence() {
      return new Evidence(
          String.format(
              "kmem %016x (%s): %s: the object being freed is already free",
              fact.address(), register, fact.description()),
          fact.source(),
          List.of(fact.address()));
    }
  }

  @Override
  public @Nullable Hit evaluate(CrashFacts f) {
    Primary p = f.primary();
    if (p == null) {
      return null;
    }
    Freed freed = p.site() == null ? null : freedAgain(f, p.site().frame());
    if (p.failureClass() == FailureClass.DOUBLE_FREE && p.report() != null) {
      return reported(f, p, freed);
    }
    return freed == null ? null : inMemory(f, freed);
  }

  /**
   * The report itself says it: its header is the evidence, the caller its first frame outside the
   * allocator; a dump's memory adds the object, already free.
   */
  private static Hit reported(CrashFacts f, Primary p, @Nullable Freed freed) {
    var oops = java.util.Objects.requireNonNull(p.report()).oops();
    String header = oops.headline().strip();
    List<Evidence> ev = new ArrayList<>();
    ev.add(new Evidence(header, oops.span()));
    Map<String, String> values = new HashMap<>();
    values.put("what", header.length() > 160 ? header.substring(0, 160) + "…" : header);
    List<String> missing = new ArrayList<>();
    double confidence = 0.85;
    if (freed != null) {
      ev.add(freed.evidence());
      values.put("what", values.get("what") + "; " + what(freed));
      confidence = 0.95;
    }
    String caller = caller(f);
    values.put("caller", caller == null ? "" : "; freed from " + caller);
    if (caller == null) {
      missing.add("the stack of the free (the report's trace, or crash> bt)");
    } else {
      ev.add(new Evidence("the code that freed it: " + caller, oops.span()));
    }
    return new Hit(values, ev, confidence, missing);
  }

  /** From a dump alone: the free path stopped on an object its registers show is already free. */
  private static Hit inMemory(CrashFacts f, Freed freed) {
    List<Evidence> ev = new ArrayList<>();
    ev.add(
        new Evidence(
            "the failure stopped the slab free path in " + freed.where(), freed.frame().source()));
    ev.add(freed.evidence());
    Map<String, String> values = new HashMap<>();
    values.put("what", what(freed));
    String caller = caller(f);
    values.put("caller", caller == null ? "" : "; freed from " + caller);
    List<String> missing = new ArrayList<>();
    if (caller == null) {
      missing.add("the caller of the second free (crash> bt)");
    } else {
      ev.add(new Evidence("the code that freed it: " + caller, freed.frame().source()));
    }
    return new Hit(values, ev, caller == null ? 0.8 : 0.9, missing);
  }

  private static String what(Freed freed) {
    return String.format(
        "object %016x of %s (in %s) freed again in %s while the dump's memory has it on a"
            + " freelist",
        freed.fact().address(),
        freed.fact().owner() == null ? "a slab cache" : "slab cache " + freed.fact().owner(),
        freed.register(),
        freed.where());
  }

  /**
   * The object being freed, when the failing frame is in the slab free path and one of its
   * registers holds the start of an object the dump's memory shows free.
   */
  private static @Nullable Freed freedAgain(CrashFacts f, ExceptionFrame e) {
    if (e.function() == null || !FrameNames.isSlabFree(e.function())) {
      return null;
    }
    for (AddressFact a : f.report().addressFacts()) {
      if (!a.kind().equals("slab-free") || a.address() != a.start()) {
        continue; // the address being freed is the object's start
      }
      for (Map.Entry<String, Long> r : e.registers().values().entrySet()) {
        if (r.getValue() == a.address()) {
          return new Freed(a, r.getKey(), e);
        }
      }
    }
    return null;
  }

  /** The first frame of the failing trace outside the slab free path. */
  private static @Nullable String caller(CrashFacts f) {
    for (Frame fr : DataRule.primaryFrames(f)) {
      if (fr.reliable() && !FrameNames.isSlabFree(fr.function())) {
        return fr.function() + (fr.module() == null ? "" : " [" + fr.module() + "]");
      }
    }
    return null;
  }
}
