package org.ktriage.analysis.bucket;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.signature.Signature;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.Incident;

/**
 * The triage outcome of one input file.
 *
 * @param path the input as given
 * @param title the crash title, or null when the input shows no crash or could not be read
 * @param altTitles alternative titles
 * @param failureClass the failure class id ({@code null-deref}, …), or null when unread
 * @param signature the crash signature, or null when there is no crash or it could not be read
 * @param corrupted true when the report is truncated or intermixed
 * @param frames normalized functions of the failing stack, top first (for similarity)
 * @param seen when the crash happened (wall clock of the log where known, else file time), or null
 * @param kernel the kernel release, or null
 * @param host the host name, or null
 * @param error why the input could not be read, or null when it was read
 * @param incident which crash of the input this is: 0 for the one its diagnosis is about (the crash
 *     the log ends in), 1, 2, … for the other independent incidents of the same log, in log order
 *     ({@link Diagnosis#otherIncidents()})
 * @param problems what the reader could not read of the input (a cap hit, a cut container), from
 *     the report's completeness; empty when it was read whole
 */
public record TriageResult(
    String path,
    @Nullable String title,
    List<String> altTitles,
    @Nullable String failureClass,
    @Nullable String signature,
    boolean corrupted,
    List<String> frames,
    @Nullable Instant seen,
    @Nullable String kernel,
    @Nullable String host,
    @Nullable String error,
    int incident,
    List<String> problems) {
  public TriageResult {
    altTitles = List.copyOf(altTitles);
    frames = List.copyOf(frames);
    problems = List.copyOf(problems);
  }

  /** The outcome of the one crash of an input read whole. */
  public TriageResult(
      String path,
      @Nullable String title,
      List<String> altTitles,
      @Nullable String failureClass,
      @Nullable String signature,
      boolean corrupted,
      List<String> frames,
      @Nullable Instant seen,
      @Nullable String kernel,
      @Nullable String host,
      @Nullable String error) {
    this(
        path,
        title,
        altTitles,
        failureClass,
        signature,
        corrupted,
        frames,
        seen,
        kernel,
        host,
        error,
        0,
        List.of());
  }

  /** How many frames of the failing stack a result keeps for similarity. */
  public static final int FRAMES = 8;

  /**
   * The triage outcome of an input read and analysed: its title, class and signature, and the
   * failing stack's first {@link #FRAMES} normalized functions when a crash was found.
   *
   * @param path the input as given
   * @param d its diagnosis
   * @param seen when the crash happened, or null
   */
  public static TriageResult of(String path, Diagnosis d, @Nullable Instant seen) {
    return of(path, d, seen, 0);
  }

  /**
   * The triage outcomes of an input read and analysed: the crash its diagnosis is about, then each
   * other independent incident of its log ({@link Diagnosis#otherIncidents()}), so independent
   * crashes in one log count as separate reports and fall in their own buckets.
   */
  public static List<TriageResult> all(String path, Diagnosis d, @Nullable Instant seen) {
    List<TriageResult> out = new ArrayList<>();
    out.add(of(path, d, seen, 0));
    int n = 1;
    for (Incident i : d.otherIncidents()) {
      out.add(of(path, i.diagnosis(), seen, n++));
    }
    return out;
  }

  private static TriageResult of(String path, Diagnosis d, @Nullable Instant seen, int incident) {
    boolean crash = d.crashFound();
    return new TriageResult(
        path,
        d.title(),
        d.altTitles(),
        d.failureClass().id(),
        crash ? d.signature() : null,
        d.corrupted(),
        crash ? Signature.stack(d.report(), d.primary(), FRAMES) : List.of(),
        seen,
        d.report().kernel().release(),
        d.report().kernel().hostname(),
        null,
        incident,
        d.report().completeness().problems());
  }

  /** A result for an input that could not be read. */
  public static TriageResult unreadable(String path, String error) {
    return new TriageResult(
        path, null, List.of(), null, null, false, List.of(), null, null, null, error);
  }

  /** True when the input was read and shows a crash. */
  public boolean hasCrash() {
    return error == null && signature != null;
  }
}
