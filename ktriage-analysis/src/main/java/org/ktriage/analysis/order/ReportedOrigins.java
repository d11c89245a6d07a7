package org.ktriage.analysis.order;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.Frame;
import org.ktriage.model.LogRecord;

/**
 * Culprits a report names outside the stack it was printed from: the earlier lock usage lockdep
 * registered, the function owning the local variable a KMSAN origin names. Each is read from the
 * report's own text ({@link Culprits#fromText}) in the kernel's wording.
 */
final class ReportedOrigins {

  private ReportedOrigins() {}

  /**
   * lockdep's "inconsistent lock state" header line, kernel/locking/lockdep.c print_usage_bug():
   * {@code "inconsistent {%s} -> {%s} usage."} with the usage the lock class had before and the one
   * now taken ({@code IN-SOFTIRQ-W}: taken in softirq context; {@code SOFTIRQ-ON-W}: taken with
   * softirqs enabled; lower case before v2.6.29). Captured: the earlier usage when it is the
   * enabled one.
   */
  private static final Pattern LOCKDEP_EARLIER_UNSAFE =
      Pattern.compile("(?i)inconsistent \\{(SOFTIRQ-ON-[RW])\\} -> \\{IN-SOFTIRQ-[RW]\\}");

  /** print_usage_bug(): {@code "{%s} state was registered at:"} and the earlier usage's trace. */
  private static final Pattern LOCKDEP_REGISTERED =
      Pattern.compile("(?i)\\{([A-Z-]+)\\} state was registered at:");

  /** Where that trace ends: print_irqtrace_events() ("irq event stamp:") and what follows. */
  private static final Pattern LOCKDEP_REGISTERED_END =
      Pattern.compile("(?i)irq event stamp:|other info that might help|stack backtrace:");

  /**
   * The code that took a lock with interrupts (or softirqs) enabled although the lock is also taken
   * in that interrupt context: the side of an "inconsistent lock state" report that must change
   * (take it with {@code _bh}). lockdep names the current acquisition and the earlier usage it
   * conflicts with ("{X} state was registered at:"); when the earlier one is the enabled usage
   * ({@code {SOFTIRQ-ON-W} -> {IN-SOFTIRQ-W}}), its trace's first frame that is not lockdep or a
   * lock primitive is to blame. Softirqs only: they run ordinary deferred work (timers, network
   * receive, RCU callbacks, tasklets) that shares data with process context by design, so the
   * process side that left them enabled is the one to change; a lock first seen in hard-interrupt
   * context is as often taken there by code that should not run in it (syzkaller's "inconsistent
   * lock state in io_dismantle_req": fs->lock dropped from an interrupt), so a hardirq report keeps
   * the current acquisition. Null when the current acquisition is the enabled one (its own stack
   * names it) or the trace was not printed.
   */
  static @Nullable Frame lockdepEarlierUnsafeUsage(List<LogRecord> lines) {
    String unsafe = null;
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i).text();
      if (unsafe == null) {
        Matcher m = LOCKDEP_EARLIER_UNSAFE.matcher(text);
        if (m.find()) {
          unsafe = m.group(1);
        }
        continue;
      }
      Matcher r = LOCKDEP_REGISTERED.matcher(text);
      if (r.find() && r.group(1).equalsIgnoreCase(unsafe)) {
        int end = i + 1;
        while (end < lines.size()
            && !LOCKDEP_REGISTERED_END.matcher(lines.get(end).text()).find()) {
          end++;
        }
        return Culprits.fromText(lines.subList(i + 1, end));
      }
    }
    return null;
  }

  /**
   * kernel/sched/core.c __might_resched() (___might_sleep() before v5.16): {@code "in_atomic(): %d,
   * irqs_disabled(): %d, non_block: %d, pid: …"}; captured: in_atomic, irqs_disabled.
   */
  private static final Pattern MIGHT_SLEEP_STATE =
      Pattern.compile("in_atomic\\(\\): (\\d+), irqs_disabled\\(\\): (\\d+)");

  /** v5.16+ __might_resched(): {@code "RCU nest depth: %d, expected: %d"}. */
  private static final Pattern RCU_NEST_DEPTH =
      Pattern.compile("RCU nest depth: (\\d{1,9}), expected: (\\d{1,9})\\b");

  /**
   * lockdep's held-lock line for an RCU read-side section (kernel/locking/lockdep.c print_lock():
   * {@code " #%d: %px (%s){%s}-{%d:%d}, at: %pS"}; rcu_read_lock() is the lock class {@code
   * rcu_read_lock}, include/linux/rcupdate.h rcu_lock_map), captured: the name after {@code at:}.
   */
  private static final Pattern RCU_READER_HELD =
      Pattern.compile(
          "#\\d+: \\S+ \\((?:rcu_read_lock(?:_bh|_sched)?)\\)\\{[^}]*\\}\\S*, at:(.*)$");

  /** The symbol after {@code at:} (on the same line or, wrapped, the next). */
  private static final Pattern AT_SYMBOL =
      Pattern.compile("^\\s*(?:\\[<[0-9a-f]+>\\] )?([A-Za-z_][\\w.$]*)\\+(0x[0-9a-f]+)");

  /** Where the head of a might-sleep report (state, held locks) ends: the CPU line, the trace. */
  private static final Pattern HEAD_END =
      Pattern.compile("^\\s*(?:CPU: \\d|Call [Tt]race:|Hardware name:)");

  /** Most report lines read for the might-sleep state and the held-lock list. */
  private static final int MIGHT_SLEEP_HEAD_LINES = 40;

  /**
   * The function that entered the RCU read-side section a sleeping call was made in: for "BUG:
   * sleeping function called from invalid context", __might_resched() treats preempt_count() plus
   * rcu_preempt_depth() as the nesting (preempt_count_equals()), so with {@code in_atomic(): 0,
   * irqs_disabled(): 0} (or v5.16+'s "RCU nest depth" above its expected value with both zero) the
   * context was atomic only because of rcu_read_lock(). The sleeping allocation or lock is
   * ordinary; the code that held the read lock across it (or leaked it) is to blame, and lockdep's
   * held-lock list names where it took it. Null unless both counters read zero and a held
   * rcu_read_lock line names a function with an offset (its last such line: the outer of an inlined
   * call chain).
   */
  static @Nullable Frame rcuReaderOfSleep(List<LogRecord> lines) {
    boolean rcuOnly = false;
    boolean stateSeen = false;
    Frame reader = null;
    int limit = Math.min(lines.size(), MIGHT_SLEEP_HEAD_LINES);
    for (int i = 0; i < limit; i++) {
      String text = lines.get(i).text();
      Matcher st = MIGHT_SLEEP_STATE.matcher(text);
      if (!stateSeen && st.find()) {
        stateSeen = true;
        rcuOnly = st.group(1).equals("0") && st.group(2).equals("0");
        continue;
      }
      Matcher depth = RCU_NEST_DEPTH.matcher(text);
      if (depth.find() && Integer.parseInt(depth.group(1)) <= Integer.parseInt(depth.group(2))) {
        return null;
      }
      Matcher held = RCU_READER_HELD.matcher(text);
      if (rcuOnly && held.find()) {
        String after = held.group(1);
        int at = i;
        if (after.isBlank() && i + 1 < lines.size()) {
          at = i + 1;
          after = lines.get(at).text();
        }
        Matcher sym = AT_SYMBOL.matcher(after);
        if (sym.find()) {
          reader =
              new Frame(sym.group(1), sym.group(2), null, null, null, true, lines.get(at).source());
        }
      }
      if (HEAD_END.matcher(text).find()) {
        break;
      }
    }
    return rcuOnly ? reader : null;
  }

  /**
   * mm/kmsan/report.c kmsan_print_origin(): an uninitialised value whose origin is a stack variable
   * is reported {@code "Local variable %s created at:"} followed by the function whose frame holds
   * it (and that function's caller).
   */
  private static final Pattern KMSAN_LOCAL_VARIABLE =
      Pattern.compile("\\bLocal variable \\S+ created at:");

  /** Most lines read after that line for the owner's frame. */
  private static final int KMSAN_ORIGIN_LINES = 4;

  /**
   * The function that owns the uninitialised stack variable a KMSAN report names: nothing but its
   * owner writes a local before it escapes, so the owner left it (or a field of it) uninitialised
   * and is to blame, not the code that later read it. Null when the origin is not a local variable
   * (a heap or page origin stays with the use: the allocation path does not say who should have
   * written it).
   */
  static @Nullable Frame kmsanLocalVariableOwner(List<LogRecord> lines) {
    for (int i = 0; i < lines.size(); i++) {
      if (KMSAN_LOCAL_VARIABLE.matcher(lines.get(i).text()).find()) {
        return Culprits.fromText(
            lines.subList(i + 1, Math.min(lines.size(), i + 1 + KMSAN_ORIGIN_LINES)));
      }
    }
    return null;
  }
}
