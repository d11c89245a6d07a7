package org.ktriage.ingest.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Raw kernel-object views as text lines in the layout of the {@code crash} utility's {@code mod},
 * {@code ps}, {@code bt} and {@code timer} commands, so engineers read them as they would a crash
 * session (crash's memory-usage columns of {@code ps} are left out).
 */
public final class CrashViews {
  private CrashViews() {}

  /** {@code mod}: one line per module, sorted by {@code struct module} address. */
  public static List<String> mod(List<LoadedModule> modules) {
    List<LoadedModule> sorted = new ArrayList<>(modules);
    sorted.sort((a, b) -> Long.compareUnsigned(a.address(), b.address()));
    List<String> out = new ArrayList<>();
    out.add("     MODULE       NAME                BASE         SIZE  OBJECT FILE");
    for (LoadedModule m : sorted) {
      out.add(
          String.format(
              Locale.ROOT,
              "%016x  %-12s  %016x  %5d  (not loaded)  [CONFIG_KALLSYMS]",
              m.address(),
              m.name(),
              m.base(),
              m.size()));
    }
    return out;
  }

  /** {@code ps}: one line per task, current tasks marked with {@code >}. */
  public static List<String> ps(List<KernelTask> tasks) {
    List<String> out = new ArrayList<>();
    out.add("      PID    PPID  CPU       TASK        ST  COMM");
    for (KernelTask t : tasks) {
      out.add(
          String.format(
              Locale.ROOT,
              "%s%7d %7d %3d  %016x  %2s  %s",
              t.active() ? ">" : " ",
              t.pid(),
              t.ppid(),
              t.cpu(),
              t.address(),
              t.state(),
              t.kernelThread() ? "[" + t.comm() + "]" : t.comm()));
    }
    return out;
  }

  /** {@code bt} of one CPU's active task. */
  public static List<String> bt(Backtraces.CpuBacktrace bt) {
    List<String> out = new ArrayList<>();
    KernelTask t = bt.task();
    out.add(
        String.format(
            Locale.ROOT,
            "PID: %-7d  TASK: %016x  CPU: %-3d  COMMAND: \"%s\"",
            t == null ? -1 : t.pid(),
            t == null ? 0 : t.address(),
            bt.cpu(),
            t == null ? "?" : t.comm()));
    int n = 0;
    String stack = null;
    for (UnwoundFrame f : bt.frames()) {
      if (stack != null && f.stack() != null && !stack.equals(f.stack()) && !stack.equals("task")) {
        out.add("--- <" + stack + " stack> ---");
      }
      if (f.stack() != null) {
        stack = f.stack();
      }
      Map<String, Long> regs = f.exceptionRegisters();
      if (regs != null && regs.containsKey("PSTATE")) {
        // arm64: the interrupted context's frame, then its pt_regs, as crash's arm64 bt shows them
        out.add(frameLine(n, f));
        n++;
        out.addAll(arm64RegisterLines(regs));
        continue;
      }
      if (regs != null) {
        out.add(
            "    [exception RIP: "
                + (f.function() == null ? "unknown" : f.function() + "+" + f.offset())
                + "]");
        out.addAll(registerLines(regs));
        continue;
      }
      out.add(frameLine(n, f));
      n++;
    }
    return out;
  }

  private static String frameLine(int n, UnwoundFrame f) {
    return String.format(
        Locale.ROOT,
        "%s#%d [%016x] %s at %016x%s%s",
        n < 10 ? " " : "",
        n,
        f.slot(),
        f.function() == null ? "?" : f.function(),
        f.ip(),
        f.module() == null ? "" : " [" + f.module() + "]",
        f.reliable() ? "" : "  (scanned)");
  }

  /** An arm64 pt_regs: PC, LR, SP and PSTATE, then X29 down to X0, three to a line. */
  private static List<String> arm64RegisterLines(Map<String, Long> r) {
    List<String> out = new ArrayList<>();
    out.add(String.format(Locale.ROOT, "     PC: %016x", r.getOrDefault("PC", 0L)));
    out.add(String.format(Locale.ROOT, "     LR: %016x", r.getOrDefault("LR", 0L)));
    out.add(
        String.format(
            Locale.ROOT,
            "     SP: %016x  PSTATE: %08x",
            r.getOrDefault("SP", 0L),
            r.getOrDefault("PSTATE", 0L)));
    StringBuilder line = new StringBuilder();
    int inLine = 0;
    for (int i = 29; i >= 0; i--) {
      Long v = r.get("X" + i);
      if (v == null) {
        continue;
      }
      line.append(String.format(Locale.ROOT, "    %3s: %016x", "X" + i, v));
      if (++inLine == 3) {
        out.add(line.toString());
        line.setLength(0);
        inLine = 0;
      }
    }
    if (line.length() > 0) {
      out.add(line.toString());
    }
    return out;
  }

  private static List<String> registerLines(Map<String, Long> r) {
    List<String> out = new ArrayList<>();
    String[][] rows = {
      {"RIP", "RSP", "RFLAGS"},
      {"RAX", "RBX", "RCX"},
      {"RDX", "RSI", "RDI"},
      {"RBP", "R8", "R9"},
      {"R10", "R11", "R12"},
      {"R13", "R14", "R15"}
    };
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder("   ");
      for (String name : row) {
        Long v = r.get(name);
        if (v == null) {
          continue;
        }
        String label = name.length() == 2 ? " " + name : name;
        line.append(' ').append(label).append(": ");
        line.append(name.equals("RFLAGS") ? String.format("%08x", v) : String.format("%016x", v));
        line.append(' ');
      }
      if (line.length() > 3) {
        out.add(line.toString().stripTrailing());
      }
    }
    Long orig = r.get("ORIG_RAX");
    Long cs = r.get("CS");
    Long ss = r.get("SS");
    StringBuilder last = new StringBuilder("   ");
    if (orig != null) {
      last.append(String.format(" ORIG_RAX: %016x ", orig));
    }
    if (cs != null) {
      last.append(String.format(" CS: %04x ", cs));
    }
    if (ss != null) {
      last.append(String.format(" SS: %04x", ss));
    }
    out.add(last.toString().stripTrailing());
    return out;
  }

  /** Queued hrtimers, orphaned ones flagged. */
  public static List<String> hrtimers(List<PendingHrtimer> timers) {
    List<String> out = new ArrayList<>();
    out.add("CPU BASE        EXPIRES(ns)     HRTIMER           FUNCTION");
    for (PendingHrtimer t : timers) {
      out.add(
          String.format(
              Locale.ROOT,
              "%3d %4d  %18s  %016x  %s%s",
              t.cpu(),
              t.clockBase(),
              t.expiresNanos() == null ? "?" : Long.toString(t.expiresNanos()),
              t.address(),
              t.function() == null
                  ? "(unreadable)"
                  : String.format(
                      "%016x  <%s>",
                      t.function(), t.functionSymbol() == null ? "?" : t.functionSymbol()),
              t.orphaned() ? "  ORPHANED: in module area outside every loaded module" : ""));
    }
    return out;
  }

  /** A list of pending wheel timers like crash's timer command, orphaned ones flagged. */
  public static List<String> timers(List<PendingTimer> timers) {
    List<String> out = new ArrayList<>();
    out.add("CPU BASE BUCKET   EXPIRES         TIMER_LIST        FUNCTION");
    for (PendingTimer t : timers) {
      out.add(
          String.format(
              Locale.ROOT,
              "%3d %4d %6d  %10s  %016x  %s%s",
              t.cpu(),
              t.base(),
              t.bucket(),
              t.expires() != null
                  ? Long.toString(t.expires())
                  : t.bucketExpiry() != null ? "~" + t.bucketExpiry() : "?",
              t.address(),
              t.function() == null
                  ? "(unreadable)"
                  : String.format(
                      "%016x  <%s>",
                      t.function(), t.functionSymbol() == null ? "?" : t.functionSymbol()),
              t.orphaned() ? "  ORPHANED: in module area outside every loaded module" : ""));
    }
    return out;
  }
}
