package org.ktriage.analysis.rule.computed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.order.CrashFacts;
import org.ktriage.analysis.rule.Hit;
import org.ktriage.model.AddressKind;
import org.ktriage.model.Evidence;
import org.ktriage.model.Hex;
import org.ktriage.model.PendingCallback;

/**
 * The memory side of the unloaded-module rules: callbacks a dump shows still queued (timer wheel,
 * hrtimers, delayed work) whose object or callback lies in module-area memory that no loaded module
 * covers. Nothing has run them yet, so the finding is latent: it holds whatever made the dump.
 */
final class PendingCallbacks {
  /** Entries named in the summary; the evidence lists them all. */
  private static final int IN_SUMMARY = 3;

  private PendingCallbacks() {}

  /** The orphaned entries of the given kinds, judged against this report's module list. */
  static List<PendingCallback> orphans(CrashFacts f, Set<String> kinds) {
    List<PendingCallback> out = new ArrayList<>();
    for (PendingCallback p : f.report().pendingCallbacks()) {
      if (kinds.contains(p.kind()) && (freed(f, p.object()) || freed(f, p.function()))) {
        out.add(p);
      }
    }
    return out;
  }

  private static boolean freed(CrashFacts f, @Nullable Long a) {
    return a != null
        && f.addresses().classify(a) == AddressKind.MODULE_AREA
        && f.moduleCovering(a).isEmpty();
  }

  /**
   * A hit naming the queued entries of {@code kinds}, or null when the dump shows none. Values:
   * {@code address} (the first entry's object), {@code callback}, {@code expires}, {@code how}.
   */
  static @Nullable Hit hit(CrashFacts f, Set<String> kinds) {
    List<PendingCallback> orphans = orphans(f, kinds);
    if (orphans.isEmpty()) {
      return null;
    }
    List<Evidence> ev = new ArrayList<>();
    List<String> named = new ArrayList<>();
    for (PendingCallback p : orphans) {
      String d = describe(f, p);
      ev.add(new Evidence(d, p.source(), addresses(p)));
      if (named.size() < IN_SUMMARY) {
        named.add(d);
      }
    }
    List<String> missing = new ArrayList<>();
    double confidence = 0.8;
    if (f.moduleRangesKnown()) {
      ev.add(new Evidence("no loaded module covers these addresses (module list checked)", null));
      confidence += 0.1;
    } else {
      missing.add("module address ranges (crash> mod) to prove no loaded module covers them");
    }
    PendingCallback first = orphans.get(0);
    Map<String, String> values = new HashMap<>();
    values.put("address", Hex.reg(first.object()));
    if (first.function() != null) {
      values.put("callback", Hex.reg(first.function()));
    }
    if (first.expires() != null) {
      values.put("expires", Long.toUnsignedString(first.expires()));
    }
    String unloaded = f.lastUnloaded();
    values.put("ofModule", unloaded == null ? "" : " of module " + unloaded);
    String more =
        orphans.size() > named.size() ? " and " + (orphans.size() - named.size()) + " more" : "";
    values.put(
        "how",
        "the dump's memory still holds "
            + orphans.size()
            + " queued "
            + noun(first.kind(), orphans.size())
            + " in module-area memory that no loaded module covers ("
            + String.join("; ", named)
            + more
            + "); nothing has run "
            + (orphans.size() == 1 ? "it" : "them")
            + " yet, so this is latent: when "
            + (orphans.size() == 1 ? "it fires" : "they fire")
            + ", the kernel executes or reads freed module memory");
    return new Hit(values, ev, Math.min(confidence, 0.95), missing);
  }

  private static String noun(String kind, int n) {
    String one =
        switch (kind) {
          case "timer" -> "timer";
          case "hrtimer" -> "hrtimer";
          default -> "work item";
        };
    return n == 1 ? one : one + "s";
  }

  /** The addresses an entry names: the queued object and its callback, when known. */
  static List<Long> addresses(PendingCallback p) {
    List<Long> out = new ArrayList<>();
    out.add(p.object());
    if (p.function() != null) {
      out.add(p.function());
    }
    return out;
  }

  /** One entry as a sentence part: what, where, which callback, when due. */
  static String describe(CrashFacts f, PendingCallback p) {
    String what =
        switch (p.kind()) {
          case "timer" -> "timer_list";
          case "hrtimer" -> "hrtimer";
          default -> "delayed work (timer_list)";
        };
    StringBuilder sb = new StringBuilder();
    sb.append(what).append(' ').append(Hex.reg(p.object())).append(" on CPU ").append(p.cpu());
    if (!p.readable()) {
      sb.append(", its memory unreadable (freed module pages)");
    } else if (freed(f, p.object())) {
      sb.append(", itself in freed module memory");
    }
    if (p.function() != null) {
      sb.append(p.kind().equals("work") ? ", work function " : ", callback ")
          .append(Hex.reg(p.function()));
      sb.append(p.functionSymbol() != null ? " <" + p.functionSymbol() + ">" : " (no symbol)");
    }
    if (p.expires() != null) {
      if (p.kind().equals("hrtimer")) {
        sb.append(", expires at ").append(Long.toUnsignedString(p.expires())).append(" ns");
      } else {
        sb.append(p.readable() ? ", expires at jiffies " : ", expires by jiffies ")
            .append(Long.toUnsignedString(p.expires()));
        if (p.dueIn() != null) {
          sb.append(" (in ").append(p.dueIn()).append(" jiffies)");
        }
      }
    }
    return sb.toString();
  }
}
