package org.ktriage.analysis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.Completeness;
import org.ktriage.model.ContextKind;
import org.ktriage.model.CpuState;
import org.ktriage.model.CrashReport;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.Frame;
import org.ktriage.model.InputFormat;
import org.ktriage.model.InputSource;
import org.ktriage.model.KernelInfo;
import org.ktriage.model.KernelModule;
import org.ktriage.model.LogRecord;
import org.ktriage.model.MemoryLayout;
import org.ktriage.model.Oops;
import org.ktriage.model.PanicInfo;
import org.ktriage.model.RegisterSet;
import org.ktriage.model.SourceSpan;
import org.ktriage.model.StackSegment;
import org.ktriage.model.Taint;

/**
 * Test-only builder of {@link CrashReport}s from real text (crash {@code sys}/{@code bt} output and
 * kernel console logs), small enough to unit-test analysis before the ingest readers land. It is
 * not a reader: it handles the shapes of the seed, the lab logs and simple syzkaller logs.
 */
final class TextReports {

  private TextReports() {}

  private static final Pattern TS =
      Pattern.compile("^\\s*(?:<\\d>)?\\[\\s*\\d+\\.\\d+\\]\\s?(?:\\[\\s*[TC]\\d+\\]\\s?)?");
  private static final Pattern CRASH_FRAME =
      Pattern.compile("^\\s*#\\s*\\d+ \\[[0-9a-f]+\\] (\\S+) at ([0-9a-f]+)(?: \\[(\\S+)\\])?");
  private static final Pattern CRASH_EXC =
      Pattern.compile("^\\s*\\[exception RIP: ([^\\]+]+)(?:\\+(\\d+))?\\]");
  private static final Pattern REG =
      Pattern.compile("\\b([A-Z][A-Z0-9_]{1,8}):\\s*([0-9a-f]{4,16})\\b");
  private static final Pattern MARKER = Pattern.compile("^\\s*--- <(.+)> ---");
  private static final Pattern TASK_HDR =
      Pattern.compile("^PID: (\\d+)\\s+TASK: ([0-9a-f]+)\\s+CPU: (\\d+)\\s+COMMAND: \"([^\"]*)\"");
  private static final Pattern SYS = Pattern.compile("^\\s*([A-Z ]+): (.*)$");
  private static final Pattern HEADLINE =
      Pattern.compile(
          "^(BUG: |WARNING: |general protection fault|divide error|invalid opcode|[Kk]ernel BUG at"
              + "|Kernel panic - not syncing|INFO: task .* blocked|watchdog: BUG|NMI watchdog|"
              + "rcu: INFO|INFO: rcu|Unable to handle kernel|Internal error|\\S+ invoked oom-killer"
              + "|list_(add|del) corruption|UBSAN: |KASAN: |unreferenced object|Oops: |PANIC: double)");
  private static final Pattern RIP_TEXT =
      Pattern.compile(
          "^RIP: (00[0-9a-f]{2}):(?:\\[<[0-9a-f]+>\\]\\s+\\[<([0-9a-f]+)>\\]\\s+)?(\\S+?)(?:\\+(0x[0-9a-f]+)/0x[0-9a-f]+)?(?: \\[(\\S+)\\])?$");
  private static final Pattern TEXT_FRAME =
      Pattern.compile(
          "^\\s*(\\? )?(?:\\[<[0-9a-f]+>\\] )?(\\? )?([A-Za-z_.$][\\w.$]*|0x[0-9a-f]+)(?:\\+(0x[0-9a-f]+)/(0x[0-9a-f]+))?(?: \\[(\\S+)\\])?$");
  private static final Pattern MODS = Pattern.compile("^Modules linked in:(.*)$");
  private static final Pattern CPU_LINE =
      Pattern.compile(
          "^CPU: (\\d+) (?:UID: \\d+ )?PID: (\\d+) Comm: (.{1,20}?) (Not tainted|Tainted: ([A-Z ]+?))\\s+(\\S+)");
  private static final Pattern DIE = Pattern.compile("\\[#(\\d+)\\]");
  private static final Pattern FAULT_ADDR =
      Pattern.compile(
          "(?:address: |dereference at |paging request at |address )(?:0x)?([0-9a-f]{8,16})");

  static CrashReport read(Path path) throws IOException {
    String text = new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1);
    return read(path.toString(), text);
  }

  static CrashReport read(String name, String text) {
    String[] raw = text.split("\r?\n", -1);
    List<LogRecord> log = new ArrayList<>();
    for (int i = 0; i < raw.length; i++) {
      String t = TS.matcher(raw[i]).replaceFirst("");
      log.add(new LogRecord(i, null, -1, null, t, SourceSpan.line(name, i + 1)));
    }
    Map<String, String> sys = new LinkedHashMap<>();
    List<CpuState> cpus = new ArrayList<>();
    readCrash(log, sys, cpus);
    List<Oops> oopses = readOops(log);
    String release = sys.get("RELEASE");
    List<KernelModule> modules = List.of();
    String lastUnloaded = null;
    Taint taint = null;
    for (Oops o : oopses) {
      if (release == null) {
        release = o.release();
      }
      if (!o.modules().isEmpty()) {
        modules = o.modules();
      }
      if (o.lastUnloaded() != null) {
        lastUnloaded = o.lastUnloaded();
      }
      if (taint == null) {
        taint = o.taint();
      }
    }
    PanicInfo panic = null;
    if (sys.containsKey("PANIC")) {
      String m = sys.get("PANIC").replaceAll("^\"|\"$", "").replaceAll("\" \\(check log.*$", "");
      panic =
          new PanicInfo(
              m,
              sys.containsKey("CPU") ? Integer.parseInt(sys.get("CPU").trim()) : null,
              sys.get("COMMAND") == null ? null : sys.get("COMMAND").replace("\"", ""),
              null,
              null);
    } else {
      for (Oops o : oopses) {
        if (o.panicMessage() != null) {
          panic = new PanicInfo(o.panicMessage(), o.cpu(), o.comm(), o.pid(), o.span());
        }
      }
    }
    KernelInfo kernel =
        new KernelInfo(
            release, null, "x86_64", sys.get("NODENAME"), taint, null, MemoryLayout.unknown());
    boolean crash = !cpus.isEmpty();
    return new CrashReport(
        List.of(new InputSource(name, crash ? InputFormat.CRASH_SESSION : InputFormat.KERNEL_LOG)),
        kernel,
        log,
        oopses,
        cpus,
        panic,
        modules,
        lastUnloaded,
        Completeness.whole());
  }

  private static void readCrash(List<LogRecord> log, Map<String, String> sys, List<CpuState> cpus) {
    Integer cpu = null;
    Integer pid = null;
    String comm = null;
    List<StackSegment> segs = new ArrayList<>();
    List<Frame> frames = new ArrayList<>();
    ExceptionFrame exc = null;
    Map<String, Long> regs = null;
    String excFn = null;
    String excOff = null;
    SourceSpan excSrc = null;
    boolean inBt = false;
    for (LogRecord r : log) {
      String t = r.text();
      Matcher m;
      if (!inBt && (m = SYS.matcher(t)).matches() && t.startsWith(" ")
          || t.startsWith("LOAD AVERAGE")) {
        m = SYS.matcher(t);
        if (m.matches()) {
          sys.putIfAbsent(m.group(1).trim(), m.group(2).trim());
        }
        continue;
      }
      if ((m = TASK_HDR.matcher(t.trim())).find()) {
        if (cpu != null) {
          cpus.add(finish(cpu, pid, comm, segs, frames, sys));
        }
        cpu = Integer.parseInt(m.group(3));
        pid = Integer.parseInt(m.group(1));
        comm = m.group(4);
        segs = new ArrayList<>();
        frames = new ArrayList<>();
        inBt = true;
        continue;
      }
      if (!inBt) {
        continue;
      }
      if ((m = CRASH_FRAME.matcher(t)).find()) {
        if (regs != null) {
          segs.add(
              new StackSegment(
                  ContextKind.UNKNOWN, null, frames, excFrame(excFn, excOff, regs, excSrc)));
          frames = new ArrayList<>();
          regs = null;
        }
        frames.add(
            new Frame(
                m.group(1),
                null,
                null,
                m.group(3),
                Long.parseUnsignedLong(m.group(2), 16),
                true,
                r.source()));
      } else if ((m = CRASH_EXC.matcher(t)).find()) {
        excFn = m.group(1).trim();
        excOff = m.group(2) == null ? null : "0x" + Long.toHexString(Long.parseLong(m.group(2)));
        excSrc = r.source();
        regs = new LinkedHashMap<>();
      } else if (regs != null && REG.matcher(t).find()) {
        Matcher rm = REG.matcher(t);
        while (rm.find()) {
          regs.put(rm.group(1), Long.parseUnsignedLong(rm.group(2), 16));
        }
      } else if ((m = MARKER.matcher(t)).find()) {
        ContextKind k =
            m.group(1).contains("NMI")
                ? ContextKind.NMI
                : m.group(1).contains("IRQ") ? ContextKind.HARDIRQ : ContextKind.EXCEPTION;
        ExceptionFrame e = regs == null ? null : excFrame(excFn, excOff, regs, excSrc);
        regs = null;
        segs.add(new StackSegment(k, m.group(1), frames, e));
        frames = new ArrayList<>();
      } else if (t.startsWith("crash>") && cpu != null) {
        if (regs != null) {
          segs.add(
              new StackSegment(
                  ContextKind.UNKNOWN, null, frames, excFrame(excFn, excOff, regs, excSrc)));
          frames = new ArrayList<>();
          regs = null;
        }
        cpus.add(finish(cpu, pid, comm, segs, frames, sys));
        cpu = null;
        inBt = false;
      }
    }
    if (cpu != null) {
      if (regs != null) {
        segs.add(
            new StackSegment(
                ContextKind.UNKNOWN, null, frames, excFrame(excFn, excOff, regs, excSrc)));
        frames = new ArrayList<>();
      }
      cpus.add(finish(cpu, pid, comm, segs, frames, sys));
    }
  }

  private static ExceptionFrame excFrame(
      @Nullable String fn, @Nullable String off, Map<String, Long> regs, @Nullable SourceSpan src) {
    return new ExceptionFrame(fn, off, null, regs.get("RIP"), false, new RegisterSet(regs), src);
  }

  private static CpuState finish(
      int cpu,
      @Nullable Integer pid,
      @Nullable String comm,
      List<StackSegment> segs,
      List<Frame> frames,
      Map<String, String> sys) {
    List<StackSegment> all = new ArrayList<>(segs);
    if (!frames.isEmpty()) {
      all.add(new StackSegment(ContextKind.TASK, null, frames, null));
    }
    boolean panicCpu =
        sys.containsKey("CPU") && sys.get("CPU").trim().equals(Integer.toString(cpu));
    return new CpuState(cpu, pid, comm, null, RegisterSet.empty(), all, panicCpu, null);
  }

  private static List<Oops> readOops(List<LogRecord> log) {
    List<Oops> out = new ArrayList<>();
    Builder b = null;
    for (LogRecord r : log) {
      String t = r.text();
      String s = t.strip();
      boolean headline = HEADLINE.matcher(s).find();
      if (s.startsWith("Kernel panic - not syncing:")) {
        String msg = s.substring("Kernel panic - not syncing:".length()).strip();
        if (b != null && !b.ended) {
          b.panic = msg;
          b.lines.add(r);
          continue;
        }
        if (b != null) {
          out.add(b.build(out.size()));
        }
        b = new Builder(r);
        b.panic = msg;
        continue;
      }
      if (headline
          && !(b != null
              && !b.sawRip
              && !b.sawTrace
              && (s.startsWith("Oops: ")
                  || s.startsWith("general protection")
                  || s.startsWith("invalid opcode")
                  || s.startsWith("BUG: KASAN")
                  || s.startsWith("KASAN:")))) {
        if (b != null) {
          out.add(b.build(out.size()));
        }
        b = new Builder(r);
        continue;
      }
      if (b == null) {
        continue;
      }
      b.lines.add(r);
      b.line(r);
    }
    if (b != null) {
      out.add(b.build(out.size()));
    }
    return out;
  }

  private static final class Builder {
    final List<LogRecord> lines = new ArrayList<>();
    final String headline;
    @Nullable String die;
    @Nullable Integer dieCounter;
    @Nullable Long fault;
    @Nullable Integer cpu;
    @Nullable Integer pid;
    @Nullable String comm;
    @Nullable Taint taint;
    @Nullable String release;
    @Nullable ExceptionFrame ip;
    @Nullable String panic;
    @Nullable String lastUnloaded;
    List<KernelModule> modules = new ArrayList<>();
    final List<StackSegment> segs = new ArrayList<>();
    List<Frame> frames = new ArrayList<>();
    ContextKind ctx = ContextKind.TASK;
    @Nullable String marker;
    boolean sawRip;
    boolean sawTrace;
    boolean ended;
    @Nullable Map<String, Long> regs;
    @Nullable String ripFn;
    @Nullable String ripOff;
    @Nullable String ripMod;
    @Nullable SourceSpan ripSrc;
    boolean nested;

    Builder(LogRecord first) {
      headline = first.text().strip();
      lines.add(first);
      Matcher m = FAULT_ADDR.matcher(headline);
      if (m.find()) {
        fault = Long.parseUnsignedLong(m.group(1), 16);
      }
      Matcher d = DIE.matcher(headline);
      if (d.find()) {
        dieCounter = Integer.parseInt(d.group(1));
        die = headline;
      }
    }

    void closeRegs() {
      if (regs == null) {
        return;
      }
      ExceptionFrame e =
          new ExceptionFrame(
              ripFn, ripOff, ripMod, regs.get("RIP"), ripFn == null, new RegisterSet(regs), ripSrc);
      if (!nested) {
        if (ip == null) {
          ip = e;
        }
      } else {
        segs.add(new StackSegment(ctx, marker, frames, e));
        frames = new ArrayList<>();
      }
      regs = null;
    }

    void line(LogRecord r) {
      String s = r.text().strip();
      if (ended) {
        return;
      }
      Matcher m;
      if (s.startsWith("---[ end trace") || s.startsWith("---[ end Kernel panic")) {
        closeRegs();
        ended = true;
        return;
      }
      if ((m = DIE.matcher(s)).find()
          && die == null
          && (s.startsWith("Oops") || s.contains(": 0000 [#") || s.contains("Internal error"))) {
        die = s;
        dieCounter = Integer.parseInt(m.group(1));
        return;
      }
      if ((m = CPU_LINE.matcher(s)).find()) {
        cpu = Integer.parseInt(m.group(1));
        pid = Integer.parseInt(m.group(2));
        comm = m.group(3);
        taint = m.group(5) == null ? Taint.NONE : new Taint(m.group(5));
        release = m.group(6);
        return;
      }
      if ((m = MODS.matcher(s)).find()) {
        String rest = m.group(1);
        Matcher u = Pattern.compile("\\[last unloaded: ([^\\](]+)").matcher(rest);
        if (u.find()) {
          lastUnloaded = u.group(1).trim();
          rest = rest.substring(0, u.start());
        }
        for (String tok : rest.trim().split("\\s+")) {
          if (tok.isEmpty()) {
            continue;
          }
          String n = tok.replaceAll("\\(.*$", "");
          String fl = tok.contains("(") ? tok.replaceAll("^[^(]*\\(|\\)$", "") : "";
          modules.add(new KernelModule(n, fl, null, null, r.source()));
        }
        return;
      }
      if ((m = RIP_TEXT.matcher(s)).find()) {
        closeRegs();
        if (sawTrace || sawRip) {
          nested = sawTrace;
        }
        if (sawRip && !sawTrace) {
          return; // trailing repeat
        }
        sawRip = true;
        regs = new LinkedHashMap<>();
        String fn = m.group(3);
        if (m.group(1).equals("0033") || fn.startsWith("0x")) {
          ripFn = m.group(1).equals("0033") ? null : fn;
          if (fn.startsWith("0x")) {
            regs.put("RIP", Long.parseUnsignedLong(fn.substring(2), 16));
          }
        } else {
          ripFn = fn;
        }
        ripOff = m.group(4);
        ripMod = m.group(5);
        ripSrc = r.source();
        return;
      }
      if (regs != null && REG.matcher(s).find() && !s.startsWith("Code:")) {
        Matcher rm = REG.matcher(s);
        while (rm.find()) {
          regs.putIfAbsent(rm.group(1), Long.parseUnsignedLong(rm.group(2), 16));
        }
        if (s.startsWith("CR2:") && !sawTrace) {
          Matcher c = Pattern.compile("CR2: ([0-9a-f]{16})").matcher(s);
          if (c.find() && fault == null) {
            fault = Long.parseUnsignedLong(c.group(1), 16);
          }
        }
        return;
      }
      if (s.startsWith("Call Trace:") || s.startsWith("Call trace:")) {
        closeRegs();
        sawTrace = true;
        nested = true;
        return;
      }
      if (!sawTrace) {
        return;
      }
      if (s.matches("<(IRQ|NMI|TASK|SOFTIRQ|#DF|#MC|EOI)>")) {
        closeRegs();
        if (!frames.isEmpty()) {
          segs.add(new StackSegment(ctx, marker, frames, null));
          frames = new ArrayList<>();
        }
        marker = s.substring(1, s.length() - 1);
        ctx =
            marker.equals("IRQ")
                ? ContextKind.HARDIRQ
                : marker.equals("NMI")
                    ? ContextKind.NMI
                    : marker.equals("TASK") || marker.equals("EOI")
                        ? ContextKind.TASK
                        : ContextKind.EXCEPTION;
        return;
      }
      if (s.matches("</(IRQ|NMI|TASK|SOFTIRQ|#DF|#MC)>")) {
        closeRegs();
        segs.add(new StackSegment(ctx, marker, frames, null));
        frames = new ArrayList<>();
        ctx = ContextKind.TASK;
        marker = null;
        return;
      }
      if ((m = TEXT_FRAME.matcher(s)).find()
          && (m.group(4) != null || m.group(3).startsWith("0x"))) {
        closeRegs();
        boolean unreliable = m.group(1) != null || m.group(2) != null;
        frames.add(
            new Frame(
                m.group(3), m.group(4), m.group(5), m.group(6), null, !unreliable, r.source()));
      }
    }

    Oops build(int index) {
      closeRegs();
      if (!frames.isEmpty()) {
        segs.add(new StackSegment(ctx, marker, frames, null));
      }
      LogRecord last = lines.get(lines.size() - 1);
      SourceSpan span =
          new SourceSpan(
              lines.get(0).source().path(), lines.get(0).source().line(), last.source().line(), "");
      return new Oops(
          index,
          headline,
          die,
          dieCounter,
          fault,
          cpu,
          pid,
          comm,
          taint,
          release,
          null,
          null,
          ip,
          null,
          segs,
          modules,
          lastUnloaded,
          panic,
          ended,
          lines,
          span);
    }
  }
}
