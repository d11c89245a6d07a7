package org.ktriage.analysis.order;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.stack.FrameNames;
import org.ktriage.model.ContextKind;
import org.ktriage.model.LogRecord;
import org.ktriage.model.SourceSpan;

/**
 * CPUs that other CPUs' backtraces (printed by {@code NMI backtrace for cpu N} after a soft lockup,
 * RCU stall or hung-task report) show stuck with interrupts off: the EFLAGS IF bit (0x200) clear in
 * kernel mode. Such a CPU takes no IPI and no tick, so another CPU's RCU stall, soft lockup or IPI
 * wait is its symptom (playbook §7 primary candidate (c), §8 cause 2).
 */
public final class StuckCpus {

  private StuckCpus() {}

  /**
   * One CPU seen in an NMI backtrace with interrupts off.
   *
   * @param cpu the CPU
   * @param function the function at RIP (where it spins or loops)
   * @param offset its offset, or null
   * @param caller the first trace frame outside locking primitives, or null
   * @param callerOffset its offset, or null
   * @param eflags the saved EFLAGS
   * @param spinning true when RIP is in a spinlock primitive
   * @param context context the stuck code ran in
   * @param source the {@code NMI backtrace for cpu} line
   * @param ripSource the {@code RIP:} line
   */
  public record Stuck(
      int cpu,
      String function,
      @Nullable String offset,
      @Nullable String caller,
      @Nullable String callerOffset,
      long eflags,
      boolean spinning,
      ContextKind context,
      SourceSpan source,
      SourceSpan ripSource) {

    /** {@code function+0xoff} of the caller when known, else of RIP. */
    public String where() {
      if (caller != null) {
        return callerOffset == null ? caller : caller + "+" + callerOffset;
      }
      return offset == null ? function : function + "+" + offset;
    }
  }

  private static final Pattern NMI_BT = Pattern.compile("NMI backtrace for cpu (\\d+)");
  private static final Pattern RIP =
      Pattern.compile("^RIP: 0010:(?:\\[<[0-9a-f]+>\\] )?([\\w.$]+)(?:\\+(0x[0-9a-f]+))?");
  private static final Pattern EFLAGS = Pattern.compile("EFLAGS: ([0-9a-f]{8})");
  private static final Pattern FRAME =
      Pattern.compile("^(?:\\[<[0-9a-f]+>\\] )?([\\w.$]+)\\+(0x[0-9a-f]+)/0x[0-9a-f]+");
  private static final long IF = 0x200;

  /** Lines read after a backtrace header before giving up on it. */
  private static final int BLOCK_LINES = 60;

  /** Locking and lock-debugging frames skipped when naming who takes the lock. */
  private static boolean lockFrame(String function) {
    String b = FrameNames.base(function);
    return FrameNames.isSpinlock(b)
        || b.startsWith("do_raw_spin")
        || b.startsWith("lock_acquire")
        || b.startsWith("__lock_acquire")
        || b.startsWith("queued_")
        || b.startsWith("native_queued")
        || b.startsWith("pv_queued")
        || b.startsWith("__pv_queued")
        || b.startsWith("delay_tsc")
        || b.startsWith("__delay")
        || b.startsWith("__const_udelay")
        || b.startsWith("__sanitizer_cov");
  }

  private static boolean isSpin(String function) {
    String b = FrameNames.base(function);
    return FrameNames.isSpinlock(b)
        || b.startsWith("do_raw_spin")
        || b.contains("queued_spin_lock")
        || b.startsWith("queued_");
  }

  /** Every CPU an NMI backtrace shows in kernel mode with interrupts off, first report first. */
  public static List<Stuck> find(List<LogRecord> lines) {
    List<Stuck> found = new ArrayList<>();
    List<Integer> seen = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher h = NMI_BT.matcher(lines.get(i).text());
      if (!h.find()) {
        continue;
      }
      int cpu = Integer.parseInt(h.group(1));
      Stuck s = block(lines, i, cpu);
      if (s != null && !seen.contains(cpu)) {
        seen.add(cpu);
        found.add(s);
      }
    }
    return found;
  }

  private static @Nullable Stuck block(List<LogRecord> lines, int at, int cpu) {
    String fn = null;
    String off = null;
    SourceSpan ripSource = null;
    Long eflags = null;
    boolean inTrace = false;
    ContextKind ctx = ContextKind.TASK;
    boolean viaSpinlock = false;
    for (int j = at + 1; j < Math.min(lines.size(), at + BLOCK_LINES); j++) {
      String t = lines.get(j).text().strip();
      if (NMI_BT.matcher(t).find() || t.startsWith("---[ end") || t.startsWith("Kernel panic")) {
        break;
      }
      if (fn == null) {
        Matcher r = RIP.matcher(t);
        if (r.find()) {
          fn = r.group(1);
          off = r.group(2);
          ripSource = lines.get(j).source();
        }
        continue;
      }
      if (eflags == null) {
        Matcher e = EFLAGS.matcher(t);
        if (e.find()) {
          eflags = Long.parseLong(e.group(1), 16);
          if ((eflags & IF) != 0) {
            return null;
          }
        }
        continue;
      }
      if (t.startsWith("Call Trace:")) {
        inTrace = true;
        continue;
      }
      if (inTrace && t.startsWith("<IRQ>")) {
        ctx = ContextKind.HARDIRQ;
        continue;
      }
      if (t.startsWith("RIP:") || t.startsWith("</IRQ>") || t.startsWith("</NMI>")) {
        if (inTrace && t.startsWith("RIP:")) {
          break;
        }
        continue;
      }
      Matcher fr = FRAME.matcher(t);
      if (inTrace && ripSource != null && fr.find()) {
        if (lockFrame(fr.group(1))) {
          viaSpinlock |= isSpin(fr.group(1));
          continue;
        }
        return stuck(
            cpu,
            fn,
            off,
            fr.group(1),
            fr.group(2),
            eflags,
            viaSpinlock,
            ctx,
            lines.get(at),
            ripSource);
      }
    }
    if (fn == null || eflags == null || ripSource == null) {
      return null;
    }
    return stuck(cpu, fn, off, null, null, eflags, viaSpinlock, ctx, lines.get(at), ripSource);
  }

  private static Stuck stuck(
      int cpu,
      String fn,
      @Nullable String off,
      @Nullable String caller,
      @Nullable String callerOff,
      long eflags,
      boolean viaSpinlock,
      ContextKind ctx,
      LogRecord header,
      SourceSpan ripSource) {
    boolean spinning = viaSpinlock || isSpin(fn);
    return new Stuck(
        cpu, fn, off, caller, callerOff, eflags, spinning, ctx, header.source(), ripSource);
  }
}
