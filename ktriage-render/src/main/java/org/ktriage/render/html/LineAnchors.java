package org.ktriage.render.html;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.InputSource;
import org.ktriage.model.SourceSpan;

/** Ids of source lines: one per input path and line, stable within a report. */
final class LineAnchors {
  private final Map<String, Integer> index = new HashMap<>();

  LineAnchors(List<InputSource> sources) {
    for (InputSource s : sources) {
      index.putIfAbsent(s.path(), index.size());
    }
  }

  /** Ids of the lines shown in the report. */
  final Set<String> present = new HashSet<>();

  /** The id of the first line of {@code s} when that line is shown, else null. */
  @Nullable String of(@Nullable SourceSpan s) {
    if (s == null || s.line() <= 0) {
      return null;
    }
    String id = of(s.path(), s.line());
    return present.contains(id) ? id : null;
  }

  String of(String path, int line) {
    Integer i = index.get(path);
    if (i == null) {
      i = index.size();
      index.put(path, i);
    }
    return "L" + i + "-" + line;
  }
}
