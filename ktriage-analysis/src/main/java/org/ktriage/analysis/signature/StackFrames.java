package org.ktriage.analysis.signature;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.signature.TitleRules.Part;
import org.ktriage.analysis.signature.TitleRules.StackSpec;

/**
 * Picks the guilty frame(s) of a report by walking a stack spec's parts over the report lines: one
 * key frame per stack segment, after skipping helper functions and stripping a syscall prefix.
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

  Result extract(StackSpec spec, String text) {
    Result r = extract(spec, text, spec.parts());
    if (r.ok() || spec.parts2().isEmpty()) {
      return r;
    }
    return extract(spec, text, spec.parts2());
  }

  private Result extract(StackSpec spec, String text, List<Part> parts) {
    String[] lines = text.split("\n", -1);
    int pos = 0;
    List<String> rawFrames = new ArrayList<>();
    List<Guilty> results = new ArrayList<>();
    boolean ok = true;
    int numStacks = 0;
    nextPart:
    for (int partIdx = 0; ; partIdx++) {
      if (partIdx == parts.size() || (parts.get(partIdx).isStack() && numStacks > 0)) {
        Guilty key = keyFrame(spec, rawFrames);
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
        while (pos < lines.length) {
          String ln = lines[pos++];
          if (matchesAny(rules.corruptedLines, ln)) {
            ok = false;
            continue nextPart;
          }
          if (matchesAny(rules.stackStarts, ln) || rules.riscvStackStart.matcher(ln).find()) {
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
          for (Pattern frame : rules.frameLines) {
            Matcher m = frame.matcher(ln);
            if (m.find()) {
              append(rawFrames, m, spec.skip());
              break;
            }
          }
        }
      } else {
        Pattern re = part.regex();
        while (pos < lines.length) {
          String ln = lines[pos++];
          if (matchesAny(rules.corruptedLines, ln)) {
            ok = false;
            continue nextPart;
          }
          Matcher m = re == null ? null : re.matcher(ln);
          if (m == null || !m.find()) {
            continue;
          }
          append(rawFrames, m, spec.skip());
          break;
        }
      }
    }
    return new Result(List.copyOf(results), ok);
  }

  private void append(List<String> frames, Matcher m, Pattern skip) {
    for (int g = 1; g <= m.groupCount(); g++) {
      String f = m.group(g);
      if (f == null) {
        continue;
      }
      f = Demangler.demangle(f);
      if (!isSkipped(skip, f)) {
        frames.add(f);
      }
    }
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

  private @Nullable Guilty keyFrame(StackSpec spec, List<String> raw) {
    if (raw.isEmpty()) {
      return null;
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
