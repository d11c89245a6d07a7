package org.ktriage.analysis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.signature.CrashTitle;
import org.ktriage.analysis.signature.CrashTitles;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.model.CrashReport;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.LogRecord;
import org.ktriage.testkit.corpus.Pipeline;

/**
 * The real pipeline for the corpus runner: the file's text read by {@link Ingest}, then analysed.
 */
final class AnalysisPipeline implements Pipeline {

  private static final ThreadLocal<Analyzer> ANALYZER = ThreadLocal.withInitial(Analyzer::new);

  @Override
  public @Nullable Diagnosis analyze(String name, byte[] text, StringBuilder refusal)
      throws Exception {
    Path dir = Files.createTempDirectory("ktriage-corpus");
    Path file = dir.resolve(name.substring(name.lastIndexOf('/') + 1));
    try {
      Files.write(file, text);
      CrashReport report;
      try {
        report = Ingest.read(List.of(file), Strictness.LENIENT);
      } catch (UnreadableInputException e) {
        String reason = String.valueOf(e.getMessage());
        refusal.append(reason);
        if (!reason.contains(file.toString())) {
          refusal.append("\n(the reason does not name the input)");
        }
        return null;
      }
      return ANALYZER.get().analyze(report);
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }

  @Override
  public String typeOf(String title) {
    return CrashTitles.typeOf(title);
  }

  @Override
  public @Nullable String titleOf(List<LogRecord> records) {
    CrashTitle t = CrashTitles.ofLog(records);
    return t == null ? null : t.title();
  }
}
