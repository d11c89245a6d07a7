package org.ktriage.analysis.signature;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.signature.TitleRules.Extractor;
import org.ktriage.analysis.signature.TitleRules.Part;
import org.ktriage.analysis.signature.TitleRules.StackSpec;
import org.ktriage.model.kind.CloneSuffixes;

/**
 * Picks the guilty frame(s) of a report by walking a stack spec's parts over the report lines: one
 * key frame per stack segment, after skipping helper functions and stripping a syscall prefix.
 *
 * <p>The spec is first read as syzkaller reads it. When that finds no frame for a segment (the
 * title would end {@code in corrupted}), the report is read again relaxed: frame and faulting-PC
 * lines in the spellings of other eras and architectures ({@code relaxedFrameLines}, {@code
 * relaxedRip}: arm32's {@code (func+off/size) from} trace, i386's {@code EIP is at}; x86's {@code ?
 * func} frames only when no other frame is found), a faulting-PC line or a call-trace heading the
 * report does not show (a trace printed without heading, a paste that dropped the {@code RIP:}
 * line) skipped instead of read to the end, a frame read only in a run of two or more, and a trace
 * never read past {@code Kernel panic - not syncing}, after which the frames are panic()'s own.
 */
final class StackFrames {
  static final String CORRUPTED = "corrupted";

  /** A guilty frame: with syscall prefix stripped ({@code canonical}) and as printed. */
  record Guilty(String canonical, String raw) {}

  /** Key frames, one per segment, and whether every segment yielded one. */
  record Result(List<Guilty> frames, boolean ok) {}

  private final TitleRules rules;

  StackFrames(TitleRules rules) {
    this.rules = rules;
  }

  /**
   * The key frames of the text; {@code primaryFunction}, when given, is the function analysis
   * blamed: a segment only a relaxed reading (ktriage's own, beyond syzkaller's rules) found frames
   * for is named by it, as {@link FallbackTitles} names a report syzkaller's rules do not title, so
   * that title and primary agree.
   */
  Result extract(StackSpec spec, String text, @Nullable String primaryFunction) {
    Result r = extract(spec, text, spec.parts(), null, null);
    if (!r.ok() && !spec.parts2().isEmpty()) {
      r = extract(spec, text, spec.parts2(), null, null);
    }
    for (List<Pattern> frames : List.of(rules.relaxedFrames, rules.questionableFrames)) {
      for (List<Part> parts : List.of(spec.parts(), spec.parts2())) {
        Result relaxed =
            r.ok() || parts.isEmpty() ? r : extract(spec, text, parts, frames, primaryFunction);
        if (relaxed.ok()) {
          return relaxed;
        }
      }
    }
    return r;
  }

  /**
   * Reads the parts over the text: as syzkaller does when {@code relaxedFrames} is null, else
   * relaxed with these frame lines.
   */
  private Result extract(
      StackSpec spec,
      String text,
      List<Part> parts,
      @Nullable List<Pattern> relaxedFrames,
      @Nullable String primaryFunction) {
    boolean relaxed = relaxedFrames != null;
    String[] lines = text.split("\n", -1);
    int pos = 0;
    List<String> rawFrames = new ArrayList<>();
    List<Guilty> results = new ArrayList<>();
    boolean ok = true;
    int numStacks = 0;
    nextPart:
    for (int partIdx = 0; ; partIdx++) {
      if (partIdx == parts.size() || (parts.get(partIdx).isStack() && numStacks > 0)) {
        Guilty key = keyFrame(spec, rawFrames, primaryFunction);
        if (key == null) {
          key = new Guilty(CORRUPTED, CORRUPTED);
          ok = false;
        }
        results.add(key);
        rawFrames = new ArrayList<>();
      }
      if (partIdx == parts.size()) {
        break;
      }
      Part part = parts.get(partIdx);
      if (part.isStack()) {
        numStacks++;
        int read = 0;
        while (pos < lines.length) {
          String ln = lines[pos++];
          if (matchesAny(rules.corruptedLines, ln)) {
            ok = false;
            continue nextPart;
          }
          if (relaxed && pos > 1 && matchesAny(rules.relaxedStackEnds, ln)) {
            continue nextPart;
          }
          if ((matchesAny(rules.stackStarts, ln) || rules.riscvStackStart.matcher(ln).find())
              && (!relaxed || read > 0)) {
            continue nextPart;
          }
          if (partIdx != parts.size() - 1) {
            Pattern next = parts.get(partIdx + 1).regex();
            if (next != null) {
              Matcher m = next.matcher(ln);
              if (m.find()) {
                append(rawFrames, m, spec.skip());
                partIdx++;
                continue nextPart;
              }
            }
          }
          if (relaxedFrames != null && !inTrace(relaxedFrames, lines, pos - 1)) {
            continue;
          }
          for (Pattern frame : relaxedFrames != null ? relaxedFrames : rules.frameLines) {
            Matcher m = frame.matcher(ln);
            if (m.find()) {
              append(rawFrames, m, spec.skip());
              read++;
              break;
            }
          }
        }
      } else {
        int next = advance(spec, part, lines, pos, rawFrames, relaxed);
        ok &= next >= 0;
        pos = next >= 0 ? next : -next - 1;
      }
    }
    return new Result(List.copyOf(results), ok);
  }

  /**
   * Reads lines from {@code pos} up to the first that the part's regex matches, its functions
   * appended; returns the position after it, or {@code -(position + 1)} when an injected-failure
   * line was met first. A relaxed reading that does not find a part which may be missing goes on
   * from {@code pos}: the report does not show that line.
   */
  private int advance(
      StackSpec spec, Part part, String[] lines, int pos, List<String> rawFrames, boolean relaxed) {
    Pattern re = relaxed ? rules.relaxed(part.regex()) : part.regex();
    int at = pos;
    while (at < lines.length) {
      String ln = lines[at++];
      if (matchesAny(rules.corruptedLines, ln)) {
        return -at - 1;
      }
      Matcher m = re == null ? null : re.matcher(ln);
      if (m != null && m.find()) {
        append(rawFrames, m, spec.skip());
        return at;
      }
    }
    return relaxed && rules.mayBeMissing(part.regex()) ? pos : at;
  }

  /**
   * Whether line {@code i} is a frame of a trace as a relaxed reading sees one: a frame line next
   * to another (a frame-shaped line alone, such as a held lock's {@code at:} address, is no trace).
   */
  private static boolean inTrace(List<Pattern> frames, String[] lines, int i) {
    return matchesAny(frames, lines[i])
        && ((i > 0 && matchesAny(frames, lines[i - 1]))
            || (i + 1 < lines.length && matchesAny(frames, lines[i + 1])));
  }

  private void append(List<String> frames, Matcher m, Pattern skip) {
    for (int g = 1; g <= m.groupCount(); g++) {
      String f = m.group(g);
      if (f == null || heading(f)) {
        continue;
      }
      f = Demangler.demangle(f);
      if (!isSkipped(skip, f)) {
        frames.add(f);
      }
    }
  }

  /**
   * A part's capture that is a section heading ({@code Uninit was created at:}, KMSAN's marker
   * between the access stack and the origin stack), not a function: a stack section that ended
   * before any frame (an old KMSAN report's {@code Call Trace:} heading) must not name the report
   * after the next heading.
   */
  private static boolean heading(String captured) {
    return captured.endsWith(":") && !captured.endsWith("::");
  }

  /**
   * Skip lists are alternations of a few hundred patterns tried at every position of a name;
   * function names repeat across reports, so answers are remembered (bounded).
   */
  private static boolean isSkipped(Pattern skip, String function) {
    Map<String, Boolean> cache = SKIP_CACHE.computeIfAbsent(skip, k -> new ConcurrentHashMap<>());
    Boolean known = cache.get(function);
    if (known != null) {
      return known;
    }
    boolean skipped = skip.matcher(function).find();
    if (cache.size() < 100_000) {
      cache.put(function, skipped);
    }
    return skipped;
  }

  private static final Map<Pattern, Map<String, Boolean>> SKIP_CACHE = new ConcurrentHashMap<>();

  /**
   * The key frame of a segment's frames, null when there is none; with {@code primaryFunction} (a
   * relaxed reading) the function analysis blamed, unless the extractor names a representative
   * frame (stalls, hung tasks).
   */
  private @Nullable Guilty keyFrame(
      StackSpec spec, List<String> raw, @Nullable String primaryFunction) {
    if (raw.isEmpty()) {
      return null;
    }
    if (primaryFunction != null && spec.extractor() == Extractor.FIRST) {
      String primary = CloneSuffixes.strip(primaryFunction);
      return new Guilty(primary, primary);
    }
    List<String> stripped = new ArrayList<>(raw.size());
    for (String f : raw) {
      stripped.add(stripSyscallPrefix(f));
    }
    return switch (spec.extractor()) {
      case FIRST -> new Guilty(stripped.get(0), raw.get(0));
      case STALL -> stall(stripped, raw);
      case HANG -> hang(stripped, raw);
    };
  }

  /** Removes the one syscall-entry prefix that gives the shortest name. */
  String stripSyscallPrefix(String frame) {
    String best = frame;
    for (String prefix : rules.stripPrefixes) {
      if (frame.startsWith(prefix) && frame.length() - prefix.length() < best.length()) {
        best = frame.substring(prefix.length());
      }
    }
    return best;
  }

  /**
   * Stalls and lockups show a random point of a loop; the frame just above the first dispatch point
   * (syscall entry, work item runner, VFS or socket layer) names them stably.
   */
  private @Nullable Guilty stall(List<String> frames, List<String> raw) {
    String prev = frames.get(0);
    int prevIdx = 0;
    for (int i = 0; i < frames.size(); i++) {
      String frame = frames.get(i);
      if (rules.stallAnchors.matcher(frame).find()) {
        if (frame.contains("smp_call_function")) {
          prev = "smp_call_function";
          prevIdx = i;
        }
        return new Guilty(prev, raw.get(prevIdx));
      }
      prev = frame;
      prevIdx = i;
    }
    return null;
  }

  /**
   * Hung tasks wait in a victim's stack; waits on rtnl and RCU grace periods are grouped, else the
   * first frame that is not scheduling or waiting machinery is used.
   */
  private @Nullable Guilty hang(List<String> frames, List<String> raw) {
    for (int i = 0; i < frames.size(); i++) {
      String frame = frames.get(i);
      for (Map.Entry<String, String> anchor : rules.hangAnchors.entrySet()) {
        if (frame.contains(anchor.getKey())) {
          return new Guilty(anchor.getValue().isEmpty() ? frame : anchor.getValue(), raw.get(i));
        }
      }
    }
    nextFrame:
    for (int i = 0; i < frames.size(); i++) {
      for (String ignore : rules.hangSkip) {
        if (frames.get(i).contains(ignore)) {
          continue nextFrame;
        }
      }
      return new Guilty(frames.get(i), raw.get(i));
    }
    return null;
  }

  static boolean matchesAny(List<Pattern> patterns, String line) {
    for (Pattern p : patterns) {
      if (p.matcher(line).find()) {
        return true;
      }
    }
    return false;
  }
}
