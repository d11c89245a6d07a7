package org.ktriage.testkit.corpus;

import java.util.Map;

/**
 * One file of a corpus: its name (stable, relative to the corpus root), the text ktriage reads (the
 * file without its label header), and the expected answers its corpus labels give.
 */
@SuppressWarnings("ArrayRecordComponent") // the file bytes, read once, never compared
public record Case(String name, byte[] text, Map<Measure, String> labels) {
  public Case {
    labels = Map.copyOf(labels);
  }
}
