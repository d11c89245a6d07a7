package org.ktriage.ingest.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.ContextKind;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.Frame;
import org.ktriage.model.RegisterSet;
import org.ktriage.model.SourceSpan;
import org.ktriage.model.StackSegment;

/**
 * Splits a call trace into {@link StackSegment}s: a stack marker ({@code <IRQ>}, {@code <NMI>},
 * {@code <TASK>}, {@code <#DF>} …) starts a segment, its closer ({@code </IRQ>}, {@code <EOI>})
 * ends one, and a nested {@code RIP:} block ends the segment it follows and becomes its {@code
 * exception}.
 */
final class TraceBuilder {
  private final List<StackSegment> segments = new ArrayList<>();
  private final ContextKind unmarked;
  private @Nullable ContextKind context;
  private @Nullable String marker;
  private List<Frame> frames = new ArrayList<>();
  private @Nullable PendingException pending;
  private boolean sawMarker;

  /** An exception frame whose register lines are still being read. */
  static final class PendingException {
    final @Nullable String function;
    final @Nullable String offset;
    final @Nullable String module;
    final @Nullable Long ip;
    final boolean userMode;
    final Map<String, Long> registers = new LinkedHashMap<>();
    final @Nullable SourceSpan source;

    PendingException(
        @Nullable String function,
        @Nullable String offset,
        @Nullable String module,
        @Nullable Long ip,
        boolean userMode,
        @Nullable SourceSpan source) {
      this.function = function;
      this.offset = offset;
      this.module = module;
      this.ip = ip;
      this.userMode = userMode;
      this.source = source;
      if (ip != null) {
        registers.put("RIP", ip);
      }
    }

    ExceptionFrame build() {
      Long cs = registers.get("CS");
      // a code segment selector with RPL 3 (0x33, 0x23, 0x2b …) is a user-mode frame
      boolean user = userMode || (cs != null && cs >= 0 && cs < 0x100 && (cs & 3) == 3);
      return new ExceptionFrame(
          function, offset, module, ip, user, new RegisterSet(registers), source);
    }
  }

  TraceBuilder(ContextKind unmarked) {
    this.unmarked = unmarked;
  }

  /** An opening ({@code <IRQ>}) or closing ({@code </IRQ>}, {@code <EOI>}) stack marker. */
  void marker(String name, boolean closing) {
    flush();
    sawMarker = true;
    // <EOI> ends an IRQ stack, <EOE> (<<EOE>> before v4.x) an exception stack
    // (arch/x86/kernel/dumpstack_64.c)
    if (closing || name.equals("EOI") || name.equals("EOE")) {
      context = null;
      marker = null;
    } else {
      context = contextOf(name);
      marker = name;
    }
  }

  static ContextKind contextOf(String marker) {
    return switch (marker) {
      case "NMI" -> ContextKind.NMI;
      case "IRQ" -> ContextKind.HARDIRQ;
      case "SOFTIRQ" -> ContextKind.SOFTIRQ;
      case "TASK" -> ContextKind.TASK;
      default -> marker.startsWith("#") ? ContextKind.EXCEPTION : ContextKind.UNKNOWN;
    };
  }

  void frame(Frame f) {
    if (pending != null) {
      flush();
    }
    frames.add(f);
  }

  /**
   * Gives the last frame read the module a wrapped line carried ({@code [mod]} alone on the next
   * line); false when there is no such frame, it has a module already or no {@code +off/size} (only
   * %pS prints the module, after the offset).
   */
  boolean moduleOfLastFrame(String module, @Nullable SourceSpan lastLine) {
    if (pending != null || frames.isEmpty()) {
      return false;
    }
    Frame f = frames.get(frames.size() - 1);
    if (f.module() != null
        || f.offset() == null
        || f.source() == null
        || !f.source().equals(lastLine)) {
      return false;
    }
    frames.set(
        frames.size() - 1,
        new Frame(
            f.function(), f.offset(), f.size(), module, f.address(), f.reliable(), f.source()));
    return true;
  }

  /** A nested register block starts: it ends the current segment. */
  void exception(PendingException e) {
    if (pending != null) {
      flush();
    }
    pending = e;
  }

  /** Register lines go to the nested block being read, if any. */
  boolean registers(Map<String, Long> regs) {
    if (pending == null) {
      return false;
    }
    pending.registers.putAll(regs);
    return true;
  }

  private void flush() {
    PendingException p = pending;
    if (frames.isEmpty() && p == null) {
      return;
    }
    ContextKind ctx = context != null ? context : (sawMarker ? ContextKind.TASK : unmarked);
    segments.add(new StackSegment(ctx, marker, frames, p == null ? null : p.build()));
    frames = new ArrayList<>();
    pending = null;
  }

  int frameCount() {
    int n = frames.size();
    for (StackSegment seg : segments) {
      n += seg.frames().size();
    }
    return n;
  }

  boolean isEmpty() {
    return segments.isEmpty() && frames.isEmpty() && pending == null;
  }

  List<StackSegment> build() {
    flush();
    return List.copyOf(segments);
  }
}
