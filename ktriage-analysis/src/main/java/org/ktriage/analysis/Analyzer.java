package org.ktriage.analysis;

import java.util.List;
import org.ktriage.model.CrashReport;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.FailureClass;

/** Entry point of analysis: a pure function from a {@link CrashReport} to its {@link Diagnosis}. */
public final class Analyzer {

  /** Analyses one report. Never throws for any report a reader produced. */
  public Diagnosis analyze(CrashReport report) {
    return new Diagnosis(
        report,
        null,
        List.of(),
        false,
        null,
        FailureClass.UNKNOWN,
        FailureClass.UNKNOWN,
        null,
        List.of(),
        List.of(),
        List.of());
  }
}
