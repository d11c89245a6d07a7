package org.ktriage.testkit.corpus;

import java.util.EnumMap;
import java.util.Map;

/**
 * One file of a corpus: its name (stable, relative to the corpus root), the text ktriage reads (the
 * file without its label header), and the expected answers its corpus labels give. A labelled
 * culprit that the text prints somewhere ({@link Names#shown}) is labelled {@link
 * Measure#CULPRIT_SHOWN} too, the same test for every corpus.
 */
@SuppressWarnings("ArrayRecordComponent") // the file bytes, read once, never compared
public record Case(String name, byte[] text, Map<Measure, String> labels) {
  public Case {
    String culprit = labels.get(Measure.CULPRIT);
    if (culprit != null && !labels.containsKey(Measure.CULPRIT_SHOWN)) {
      Map<Measure, String> more = new EnumMap<>(Measure.class);
      more.putAll(labels);
      if (Names.shown(culprit, text)) {
        more.put(Measure.CULPRIT_SHOWN, culprit);
      }
      labels = more;
    }
    labels = Map.copyOf(labels);
  }
}
