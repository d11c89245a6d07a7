package org.ktriage.testkit.corpus;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.LogRecord;

/**
 * The real pipeline (ingest then analysis), supplied by the test module that can see both; the
 * runner itself depends on the model only, so the layers stay one-way.
 */
public interface Pipeline {

  /**
   * Reads and analyses one file's text; returns null when the input is refused as not kernel text
   * (with {@code refusal} set to the one-line reason). Any other exception is a bug.
   */
  @Nullable Diagnosis analyze(String name, byte[] text, StringBuilder refusal) throws Exception;

  /** syzkaller's crash TYPE of a title (empty when unknown). */
  String typeOf(String title);

  /** The title of these log records alone, or null when they show no crash. */
  @Nullable String titleOf(List<LogRecord> records);
}
