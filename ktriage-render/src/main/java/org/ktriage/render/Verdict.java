package org.ktriage.render;

import java.util.EnumMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.FailureClass;
import org.ktriage.model.PanicInfo;
import org.ktriage.model.PrimaryFailure;

/**
 * The words of a verdict, shared by the text and HTML reports: it only phrases what analysis
 * decided (primary failure, trigger, panic) in a sentence people can paste into a ticket.
 */
public final class Verdict {
  private static final Map<FailureClass, String> WORDS = new EnumMap<>(FailureClass.class);

  static {
    // one line per class, in FailureClass order; a class without a line reads as its id
    WORDS.put(FailureClass.BAD_PAGE_STATE, "Bad page state");
    WORDS.put(FailureClass.BUG, "Kernel BUG");
    WORDS.put(FailureClass.DATA_RACE, "Data race");
    WORDS.put(FailureClass.DEADLOCK, "Deadlock");
    WORDS.put(FailureClass.DIVIDE_ERROR, "Divide error");
    WORDS.put(FailureClass.DOUBLE_FREE, "Double free");
    WORDS.put(FailureClass.EXPLICIT_PANIC, "Explicit panic");
    WORDS.put(FailureClass.GPF, "General protection fault");
    WORDS.put(FailureClass.HARD_LOCKUP, "Hard LOCKUP");
    WORDS.put(FailureClass.HUNG_TASK, "Hung task");
    WORDS.put(FailureClass.INVALID_OPCODE, "Invalid opcode");
    WORDS.put(FailureClass.LIST_CORRUPTION, "List corruption");
    WORDS.put(FailureClass.MCE, "Machine check");
    WORDS.put(FailureClass.MEMORY_LEAK, "Memory leak");
    WORDS.put(FailureClass.NULL_DEREF, "NULL pointer dereference");
    WORDS.put(FailureClass.OOM, "Out of memory");
    WORDS.put(FailureClass.OUT_OF_BOUNDS, "Out-of-bounds access");
    WORDS.put(FailureClass.PAGE_FAULT, "Page fault");
    WORDS.put(FailureClass.RCU_STALL, "RCU stall");
    WORDS.put(FailureClass.SLEEP_IN_ATOMIC, "Sleep in atomic context");
    WORDS.put(FailureClass.SOFT_LOCKUP, "Soft lockup");
    WORDS.put(FailureClass.STACK_OVERFLOW, "Stack overflow");
    WORDS.put(FailureClass.SYSRQ_CRASH, "SysRq crash");
    WORDS.put(FailureClass.UNDEFINED_BEHAVIOR, "Undefined behaviour");
    WORDS.put(FailureClass.UNINIT_VALUE, "Use of an uninitialised value");
    WORDS.put(FailureClass.USE_AFTER_FREE, "Use-after-free");
    WORDS.put(FailureClass.WARNING, "WARNING");
    WORDS.put(FailureClass.UNKNOWN, "Crash of unknown class");
  }

  private Verdict() {}

  /** Human words for a failure class ("Page fault"); a class without a line reads as its id. */
  public static String words(FailureClass c) {
    String w = WORDS.get(c);
    if (w != null) {
      return w;
    }
    String id = c.id().replace('-', ' ');
    return Character.toUpperCase(id.charAt(0)) + id.substring(1);
  }

  /**
   * The one-sentence verdict, e.g. "Page fault in run_timer_softirq+0xf8 (softirq, CPU 1) — first
   * failure; the Hard LOCKUP panic is a consequence".
   */
  public static String headline(Diagnosis d) {
    if (!d.crashFound()) {
      return "No crash found in the input";
    }
    PrimaryFailure p = d.primary();
    StringBuilder s = new StringBuilder(words(d.failureClass()));
    if (p != null) {
      String where = where(p);
      if (where != null) {
        s.append(" in ").append(where);
      }
      s.append(" (").append(p.context().id());
      if (p.cpu() != null) {
        s.append(", CPU ").append(p.cpu());
      }
      s.append(')');
    } else if (d.title() != null) {
      s.append(": ").append(d.title());
    }
    String consequence = consequence(d);
    if (consequence != null) {
      s.append(" — first failure; ").append(consequence);
    }
    return s.toString();
  }

  /**
   * {@code function+0xoff [module]} of the primary failure, or null when the function is unknown.
   */
  public static @Nullable String where(PrimaryFailure p) {
    if (p.function() == null) {
      return null;
    }
    String where = p.offset() == null ? p.function() : p.function() + "+" + p.offset();
    return p.module() == null ? where : where + " [" + p.module() + "]";
  }

  /**
   * What the panic or report trigger was, when it is not the primary failure itself ("the Hard
   * LOCKUP panic is a consequence"), or null.
   */
  public static @Nullable String consequence(Diagnosis d) {
    if (d.trigger() == d.failureClass() || d.trigger() == FailureClass.UNKNOWN) {
      return null;
    }
    PanicInfo panic = d.report().panic();
    String what = inSentence(words(d.trigger()));
    return "the " + what + (panic != null ? " panic" : "") + " is a consequence";
  }

  /**
   * Class words inside a sentence: the first letter lower-cased ("soft lockup"), unless the words
   * carry a kernel spelling in capitals ("Hard LOCKUP", "Kernel BUG", "RCU stall").
   */
  private static String inSentence(String words) {
    if (words.matches(".*\\b[A-Z]{3,}\\b.*")) {
      return words;
    }
    return Character.toLowerCase(words.charAt(0)) + words.substring(1);
  }

  /** A confidence in 0..1 as a percentage ("90%"), or "?" when it is not a number. */
  public static String percent(double confidence) {
    if (!Double.isFinite(confidence)) {
      return "?";
    }
    return Math.round(Math.max(0, Math.min(1, confidence)) * 100) + "%";
  }
}
