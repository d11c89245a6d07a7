package org.ktriage.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.bucket.TriageResult;

/**
 * The re-triage of one raw report, in a form Spark can ship between executors: the fields of {@link
 * TriageResult} (which stays a plain record of the analysis layer) and the diagnosis JSON.
 *
 * @param id the report's id
 * @param name its name ({@link TriageResult#path()})
 * @param diagnosisJson the diagnosis as {@code ktriage analyze --format json} prints it, or null
 *     when the report could not be read
 */
public record Triaged(
    long id,
    String name,
    @Nullable String title,
    ArrayList<String> altTitles,
    @Nullable String failureClass,
    @Nullable String signature,
    boolean corrupted,
    ArrayList<String> frames,
    @Nullable String kernel,
    @Nullable String host,
    @Nullable String error,
    @Nullable String diagnosisJson)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  static Triaged of(long id, TriageResult r, @Nullable String diagnosisJson) {
    return new Triaged(
        id,
        r.path(),
        r.title(),
        new ArrayList<>(r.altTitles()),
        r.failureClass(),
        r.signature(),
        r.corrupted(),
        new ArrayList<>(r.frames()),
        r.kernel(),
        r.host(),
        r.error(),
        diagnosisJson);
  }

  /** Back to the analysis layer's record (no time: an archive report's time is the service's). */
  public TriageResult result() {
    return TriageResult.builder(name)
        .title(title)
        .altTitles(List.copyOf(altTitles))
        .failureClass(failureClass)
        .signature(signature)
        .corrupted(corrupted)
        .frames(List.copyOf(frames))
        .kernel(kernel)
        .host(host)
        .error(error)
        .build();
  }

  /** True when the report was read and shows a crash. */
  public boolean hasCrash() {
    return error == null && signature != null;
  }
}
