package org.ktriage.testkit.corpus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.LogRecord;
import org.ktriage.model.PrimaryFailure;
import org.ktriage.model.kind.ReportingFrames;

/** What must hold for every report of every corpus; each violation is counted per corpus. */
public enum Invariant {
  /**
   * The title's report header comes from a line that is not kernel output ({@link KernelOutput}).
   */
  TITLE_NOT_KERNEL("title-not-kernel"),
  /**
   * The primary function is a frame that is never the culprit: it reports, traps, asserts on its
   * caller or is a primitive its caller misused ({@link ReportingFrames}, the model's one table).
   */
  PRIMARY_REPORTING("primary-reporting"),
  /**
   * The title ends "in f" but the (known) primary is another function; a title frame that is a
   * reporting frame ({@code ReportingFrames}: the primary can never be one) is not counted.
   */
  TITLE_PRIMARY("title-primary"),
  /** syzkaller's TYPE of the title disagrees with our class ({@link TypeClasses}). */
  TITLE_CLASS("title-class"),
  /** A report was found but got no title. */
  FOUND_UNTITLED("found-untitled"),
  /** A rule, the title or the signature threw. */
  RULE_FAILURE("rule-failure"),
  /** An input was refused with a reason that is not one line. */
  REFUSAL_FORM("refusal-form");

  private final String key;

  Invariant(String key) {
    this.key = key;
  }

  /** The name used in the floors file ({@code inv:<key>}) and the score table. */
  public String key() {
    return key;
  }

  /** The invariants this outcome violates. */
  static List<Invariant> violated(Outcome o) {
    List<Invariant> out = new ArrayList<>();
    if (o.refusal() != null && (o.refusal().contains("\n") || o.refusal().isBlank())) {
      out.add(REFUSAL_FORM);
    }
    Diagnosis d = o.diagnosis();
    if (d == null) {
      return out;
    }
    String title = d.title();
    PrimaryFailure p = d.primary();
    String fn = p == null ? null : p.function();
    if (title != null && !head(title).equals(head(o.kernelOnlyTitle()))) {
      out.add(TITLE_NOT_KERNEL);
    }
    if (fn != null && ReportingFrames.isReporting(Names.base(fn))) {
      out.add(PRIMARY_REPORTING);
    }
    if (title != null && fn != null && !namesARepresentativeFrame(title)) {
      // a title names the frame syzkaller's rules pick, which may be a lock primitive, an
      // asserting core API or an inline helper ("WARNING in rdma_accept", "task hung in
      // lock_sock_nested"); the primary never is one (primary-reporting, hard), so such a title
      // frame is not a disagreement
      List<String> frames =
          titleFrames(title).stream()
              .filter(f -> !ReportingFrames.isReporting(Names.base(f)))
              .toList();
      if (!frames.isEmpty()
          && frames.stream().noneMatch(f -> Names.same(f, fn))
          && frames.stream().noneMatch(f -> inlinedInto(d.report().log(), fn, f))) {
        out.add(TITLE_PRIMARY);
      }
    }
    Set<String> agree = TypeClasses.AGREES.get(o.type());
    if (title != null && agree != null && !agree.contains(d.failureClass().id())) {
      out.add(TITLE_CLASS);
    }
    if (d.report().hasCrash() && title == null) {
      out.add(FOUND_UNTITLED);
    }
    if (!d.ruleFailures().isEmpty()) {
      out.add(RULE_FAILURE);
    }
    return out;
  }

  /**
   * Titles whose frame is not where the CPU looped but a representative caller: syzkaller's
   * pkg/report/linux.go linuxStallFrameExtractor names an RCU stall or a soft lockup by a frame
   * deeper in the stack (the syscall or subsystem entry), so that one stall looping across several
   * functions gets one title; the primary names the looping code itself. An "inconsistent lock
   * state" title names the current acquisition's stack, the primary the side that took the lock
   * with interrupts enabled, which may be the earlier usage lockdep prints
   * (kernel/locking/lockdep.c print_usage_bug()). A KMSAN title names the use of the uninitialised
   * value, the primary the function owning the local variable it came from when the report shows
   * one (mm/kmsan/report.c "Local variable %s created at:").
   */
  private static boolean namesARepresentativeFrame(String title) {
    return title.startsWith("INFO: rcu detected stall in ")
        || title.startsWith("BUG: soft lockup in ")
        || title.startsWith("inconsistent lock state in ")
        || title.startsWith("KMSAN: ");
  }

  /** An inlined function line of a symbolized trace: {@code "g file.c:123 [inline]"}. */
  private static final Pattern INLINED =
      Pattern.compile("(?<![\\w.$])([A-Za-z_][\\w.$]*) \\S+:\\d+(?::\\d+)? \\[inline\\]\\s*$");

  /**
   * True when the report prints {@code inlined} as a function the compiler inlined into {@code
   * outer}: a symbolized trace (addr2line -i) prints the inlined functions at an address as {@code
   * "g file.c:123 [inline]"} lines right above the {@code outer+0x…} line. syzkaller's titles name
   * only symbols kallsyms printed (the outer function); the primary names the inlined function
   * whose code is at that address.
   */
  static boolean inlinedInto(List<LogRecord> log, String inlined, String outer) {
    Pattern outerLine =
        Pattern.compile("(?<![\\w.$])" + Pattern.quote(outer) + "(?:\\.[\\w.]+)?\\+0x");
    for (int i = 0; i < log.size(); i++) {
      Matcher m = INLINED.matcher(log.get(i).text());
      if (!m.find() || !Names.same(m.group(1), inlined)) {
        continue;
      }
      for (int k = i + 1; k < log.size(); k++) {
        String text = log.get(k).text();
        if (outerLine.matcher(text).find()) {
          return true;
        }
        if (!INLINED.matcher(text).find()) {
          break;
        }
      }
    }
    return false;
  }

  /** The title without its frame: the part that says what kind of report it is. */
  private static String head(@org.jspecify.annotations.Nullable String title) {
    if (title == null) {
      return "";
    }
    int in = title.lastIndexOf(" in ");
    return in < 0 ? title : title.substring(0, in);
  }

  /**
   * The functions a title names after its last " in " ({@code f / g} for races); none if corrupted.
   */
  static List<String> titleFrames(String title) {
    int in = title.lastIndexOf(" in ");
    if (in < 0) {
      return List.of();
    }
    String tail = title.substring(in + 4).strip();
    if (tail.equals("corrupted") || tail.isEmpty()) {
      return List.of();
    }
    return Arrays.stream(tail.split(" / ", -1))
        .map(s -> s.strip().split(" ", -1)[0])
        .filter(s -> s.matches("[A-Za-z_][\\w.]*"))
        .toList();
  }
}
