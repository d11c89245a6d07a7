package org.ktriage.analysis.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.ContextKind;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Frame;
import org.ktriage.model.StackSegment;

/**
 * Reads one CPU's stack segments (innermost first) into its {@link FaultSite}s: each saved
 * exception frame with the entry that saved it and the context of the interrupted code (playbook §A
 * and rule R1).
 */
public final class StackReader {

  /** How many handler frames below an exception frame are searched for its entry routine. */
  private static final int ENTRY_SEARCH_DEPTH = 8;

  private StackReader() {}

  private record Item(
      @Nullable Frame frame, @Nullable ExceptionFrame exception, StackSegment seg) {}

  /**
   * The sites of one stack, innermost first.
   *
   * @param top the innermost faulting context printed outside the trace (an oops's {@code RIP:}
   *     block), or null
   * @param topEntry how {@code top} was entered
   * @param topClass class of {@code top} when it is a fault
   * @param segments the stack segments, innermost first
   */
  public static List<FaultSite> read(
      @Nullable ExceptionFrame top,
      EntryKind topEntry,
      FailureClass topClass,
      List<StackSegment> segments) {
    List<Item> items = new ArrayList<>();
    StackSegment none = new StackSegment(ContextKind.UNKNOWN, null, List.of(), null);
    if (top != null) {
      items.add(new Item(null, top, segments.isEmpty() ? none : segments.get(0)));
    }
    for (StackSegment seg : segments) {
      for (Frame f : seg.frames()) {
        items.add(new Item(f, null, seg));
      }
      ExceptionFrame e = seg.exception();
      if (e != null && !(top != null && items.size() == 1 + seg.frames().size() && same(e, top))) {
        items.add(new Item(null, e, seg));
      }
    }
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).exception() != null) {
        positions.add(i);
      }
    }
    int n = positions.size();
    EntryKind[] entries = new EntryKind[n];
    FailureClass[] classes = new FailureClass[n];
    List<List<Frame>> handlers = new ArrayList<>();
    List<List<Frame>> outers = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      int pos = positions.get(k);
      int prev = k == 0 ? -1 : positions.get(k - 1);
      int next = k + 1 < n ? positions.get(k + 1) : items.size();
      List<Frame> handler = frames(items, prev + 1, pos);
      List<Frame> outer = frames(items, pos + 1, next);
      handlers.add(handler);
      outers.add(outer);
      Item it = items.get(pos);
      ExceptionFrame e = Objects.requireNonNull(it.exception());
      if (top != null && k == 0) {
        entries[k] = topEntry;
        classes[k] = topClass;
      } else {
        entries[k] = entryOf(e, handler, it.seg());
        if (entries[k] == EntryKind.FAULT && !FrameNames.isErrorPath(handler)) {
          entries[k] = EntryKind.TRAP; // a fault served normally (uaccess fixup, demand paging)
        }
        classes[k] =
            entries[k] == EntryKind.FAULT ? faultClassOf(handler, it.seg()) : FailureClass.UNKNOWN;
      }
    }
    ContextKind[] contexts = new ContextKind[n];
    for (int k = n - 1; k >= 0; k--) {
      ExceptionFrame e = Objects.requireNonNull(items.get(positions.get(k)).exception());
      contexts[k] =
          contextOf(
              e,
              outers.get(k),
              k + 1 < n ? entries[k + 1] : null,
              k + 1 < n ? contexts[k + 1] : null,
              items.get(positions.get(k)).seg());
    }
    List<FaultSite> sites = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      ExceptionFrame e = Objects.requireNonNull(items.get(positions.get(k)).exception());
      sites.add(
          new FaultSite(e, entries[k], classes[k], contexts[k], handlers.get(k), outers.get(k), k));
    }
    return sites;
  }

  /**
   * The context of code that ran with the given frames as its callers (innermost first), for stacks
   * without an exception frame (a panic call trace).
   */
  public static ContextKind contextOfFrames(List<Frame> callers, ContextKind fallback) {
    Optional<ContextKind> c = firstMarker(callers);
    if (c.isPresent()) {
      return c.get();
    }
    return fallback == ContextKind.UNKNOWN || fallback == ContextKind.EXCEPTION
        ? ContextKind.TASK
        : fallback;
  }

  private static boolean same(ExceptionFrame a, ExceptionFrame b) {
    return Objects.equals(a.ip(), b.ip()) && Objects.equals(a.function(), b.function());
  }

  private static List<Frame> frames(List<Item> items, int from, int to) {
    List<Frame> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      Frame f = items.get(i).frame();
      if (f != null) {
        out.add(f);
      }
    }
    return out;
  }

  private static EntryKind entryOf(ExceptionFrame e, List<Frame> handler, StackSegment seg) {
    if (e.userMode()) {
      return EntryKind.SYSCALL;
    }
    String marker = seg.marker() == null ? "" : seg.marker().toUpperCase(Locale.ROOT);
    if (marker.contains("DOUBLEFAULT") || marker.contains("#DF") || marker.contains("MCE")) {
      return EntryKind.FAULT;
    }
    for (int i = handler.size() - 1, seen = 0; i >= 0 && seen < ENTRY_SEARCH_DEPTH; i--, seen++) {
      Optional<EntryKind> k = FrameNames.entryKind(handler.get(i).function());
      if (k.isPresent()) {
        return k.get();
      }
    }
    if (marker.contains("NMI")) {
      return EntryKind.NMI;
    }
    return EntryKind.UNKNOWN;
  }

  private static FailureClass faultClassOf(List<Frame> handler, StackSegment seg) {
    String marker = seg.marker() == null ? "" : seg.marker().toUpperCase(Locale.ROOT);
    if (marker.contains("DOUBLEFAULT") || marker.contains("#DF")) {
      return FailureClass.STACK_OVERFLOW;
    }
    if (marker.contains("MCE")) {
      return FailureClass.MCE;
    }
    FailureClass c = FailureClass.UNKNOWN;
    for (int i = handler.size() - 1, seen = 0; i >= 0 && seen < ENTRY_SEARCH_DEPTH; i--, seen++) {
      Optional<FailureClass> f = FrameNames.faultEntry(handler.get(i).function());
      if (f.isPresent()) {
        c = f.get();
        break;
      }
    }
    if (c == FailureClass.INVALID_OPCODE) {
      boolean warn = false;
      boolean bug = false;
      for (Frame f : handler) {
        String b = FrameNames.base(f.function());
        warn |= b.equals("__warn") || b.equals("warn_slowpath_common");
        bug |= b.equals("report_bug") || b.equals("handle_bug");
      }
      if (warn) {
        return FailureClass.WARNING;
      }
      if (bug) {
        return FailureClass.BUG;
      }
    }
    return c;
  }

  private static ContextKind contextOf(
      ExceptionFrame e,
      List<Frame> outer,
      @Nullable EntryKind nextEntry,
      @Nullable ContextKind nextContext,
      StackSegment seg) {
    if (e.userMode()) {
      return ContextKind.TASK;
    }
    if (e.function() != null) {
      Optional<ContextKind> own = FrameNames.contextMarker(e.function());
      if (own.isPresent() && own.get() == ContextKind.SOFTIRQ) {
        return ContextKind.SOFTIRQ;
      }
    }
    Optional<ContextKind> m = firstMarker(outer);
    if (m.isPresent()) {
      return m.get();
    }
    if (nextEntry != null) {
      switch (nextEntry) {
        case FAULT, TRAP -> {
          return nextContext == null ? ContextKind.UNKNOWN : nextContext;
        }
        case INTERRUPT -> {
          return ContextKind.HARDIRQ;
        }
        case NMI -> {
          return ContextKind.NMI;
        }
        case SYSCALL -> {
          return ContextKind.TASK;
        }
        case UNKNOWN -> {}
      }
    }
    ContextKind sc = seg.context();
    return sc == ContextKind.UNKNOWN || sc == ContextKind.EXCEPTION ? ContextKind.TASK : sc;
  }

  private static Optional<ContextKind> firstMarker(List<Frame> frames) {
    boolean anyReliable = frames.stream().anyMatch(Frame::reliable);
    for (Frame f : frames) {
      if (anyReliable && !f.reliable()) {
        continue;
      }
      Optional<ContextKind> c = FrameNames.contextMarker(f.function());
      if (c.isPresent()) {
        return c;
      }
    }
    return Optional.empty();
  }
}
