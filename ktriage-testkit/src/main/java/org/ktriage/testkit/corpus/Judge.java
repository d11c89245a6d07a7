package org.ktriage.testkit.corpus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.Finding;
import org.ktriage.model.Oops;
import org.ktriage.model.PrimaryFailure;

/** Compares one outcome with one label. */
final class Judge {
  private Judge() {}

  static boolean right(Measure m, String label, Outcome o) {
    Diagnosis d = o.diagnosis();
    return switch (m) {
      case FOUND -> found(o) == label.equals("yes");
      case CLASS -> // a refused input is diagnosed as nothing: class unknown
          Arrays.asList(label.split("\\|", -1))
              .contains(d == null ? "unknown" : d.failureClass().id());
      case CULPRIT, CULPRIT_SHOWN -> {
        String f = primaryFunction(d);
        yield f != null && Arrays.stream(label.split("\\|", -1)).anyMatch(l -> Names.same(f, l));
      }
      case RULES -> d != null && rules(d).containsAll(list(label));
      case TOP_RULE ->
          d != null && !d.findings().isEmpty() && d.findings().get(0).rule().equals(label);
      case MODULE -> d != null && namesModule(d, label);
      case TITLE -> Objects.equals(title(d), label);
      case ALT -> sorted(d == null ? List.of() : d.altTitles()).equals(sorted(lines(label)));
      case TYPE -> o.type().equals(label);
      case CORRUPTED -> (d != null && d.corrupted()) == label.equals("Y");
      case RELEASE -> d != null && label.equals(d.report().kernel().release());
      case OOPSES -> {
        int n = d == null ? 0 : d.report().oopses().size();
        yield label.startsWith(">=")
            ? n >= Integer.parseInt(label.substring(2).strip())
            : n == Integer.parseInt(label.strip());
      }
      case HEADLINE -> {
        Oops first = first(d);
        String h = first == null ? "" : first.headline().strip();
        String l = label.strip();
        yield !h.isEmpty() && (h.contains(l) || l.contains(h));
      }
      case TAINT -> {
        Oops first = first(d);
        int n = 0;
        if (first != null && first.taint() != null) {
          String flags = first.taint().flags();
          if (!flags.equals("Not tainted")) {
            n = (int) flags.chars().filter(c -> c != 'G' && c != ' ').count();
          }
        }
        yield n == Integer.parseInt(label.strip());
      }
      case MODULES -> {
        Oops first = first(d);
        yield (first == null ? 0 : first.modules().size()) == Integer.parseInt(label.strip());
      }
    };
  }

  /** What the outcome says for a measure, to show next to the label on a miss. */
  static String got(Measure m, Outcome o) {
    Diagnosis d = o.diagnosis();
    if (d == null) {
      return "refused: " + o.refusal();
    }
    Oops first = first(d);
    return switch (m) {
      case FOUND -> found(o) ? "yes" : "no";
      case CLASS -> d.failureClass().id();
      case CULPRIT, CULPRIT_SHOWN -> String.valueOf(primaryFunction(d));
      case RULES, TOP_RULE -> String.join(",", rules(d));
      case MODULE -> d.primary() == null ? "null" : String.valueOf(d.primary().module());
      case TITLE -> title(d);
      case ALT -> String.join(" | ", sorted(d.altTitles()));
      case TYPE -> o.type();
      case CORRUPTED -> d.corrupted() ? "Y" : "N";
      case RELEASE -> String.valueOf(d.report().kernel().release());
      case OOPSES -> String.valueOf(d.report().oopses().size());
      case HEADLINE -> first == null ? "" : first.headline();
      case TAINT -> first == null || first.taint() == null ? "" : first.taint().flags();
      case MODULES -> first == null ? "0" : String.valueOf(first.modules().size());
    };
  }

  /** A crash was found: the readers found a report, a panic or a panicking CPU. */
  static boolean found(Outcome o) {
    return o.diagnosis() != null && o.diagnosis().report().hasCrash();
  }

  static String title(@Nullable Diagnosis d) {
    String t = d == null ? null : d.title();
    return t == null ? "" : t;
  }

  static @Nullable String primaryFunction(@Nullable Diagnosis d) {
    PrimaryFailure p = d == null ? null : d.primary();
    return p == null ? null : p.function();
  }

  static List<String> rules(Diagnosis d) {
    return d.findings().stream().map(Finding::rule).toList();
  }

  private static boolean namesModule(Diagnosis d, String module) {
    PrimaryFailure p = d.primary();
    if (p != null && module.equals(p.module())) {
      return true;
    }
    return !d.findings().isEmpty() && d.findings().get(0).summary().contains(module);
  }

  private static @Nullable Oops first(@Nullable Diagnosis d) {
    return d == null || d.report().oopses().isEmpty() ? null : d.report().oopses().get(0);
  }

  static List<String> list(String label) {
    List<String> out = new ArrayList<>();
    for (String s : label.split(",", -1)) {
      if (!s.isBlank()) {
        out.add(s.strip().toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  private static List<String> lines(String label) {
    return label.isEmpty() ? List.of() : Arrays.asList(label.split("\n", 0));
  }

  private static List<String> sorted(List<String> l) {
    return l.stream().sorted().toList();
  }
}
