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

  /**
   * A builder for the outcome of input {@code path}: read, no crash (no title, class or signature),
   * every list empty, no time, kernel or host known, the crash its diagnosis is about (incident 0).
   */
  public static Builder builder(String path) {
    return new Builder(path);
  }

  /** A builder that starts from this result, to change a few of its parts. */
  public Builder toBuilder() {
    return new Builder(path)
        .title(title)
        .altTitles(altTitles)
        .failureClass(failureClass)
        .signature(signature)
        .corrupted(corrupted)
        .frames(frames)
        .seen(seen)
        .kernel(kernel)
        .host(host)
        .error(error)
        .incident(incident)
        .problems(problems);
  }

  /**
   * Sets the parts of a {@link TriageResult} one by one; a part not set stays as {@link
   * #builder(String)} describes.
   */
  public static final class Builder {
    private String path;
    private @Nullable String title;
    private List<String> altTitles = List.of();
    private @Nullable String failureClass;
    private @Nullable String signature;
    private boolean corrupted;
    private List<String> frames = List.of();
    private @Nullable Instant seen;
    private @Nullable String kernel;
    private @Nullable String host;
    private @Nullable String error;
    private int incident;
    private List<String> problems = List.of();

    private Builder(String path) {
      this.path = path;
    }

    public Builder path(String value) {
      path = value;
      return this;
    }

    public Builder title(@Nullable String value) {
      title = value;
      return this;
    }

    public Builder altTitles(List<String> value) {
      altTitles = value;
      return this;
    }

    public Builder failureClass(@Nullable String value) {
      failureClass = value;
      return this;
    }

    public Builder signature(@Nullable String value) {
      signature = value;
      return this;
    }

    public Builder corrupted(boolean value) {
      corrupted = value;
      return this;
    }

    public Builder frames(List<String> value) {
      frames = value;
      return this;
    }

    public Builder seen(@Nullable Instant value) {
      seen = value;
      return this;
    }

    public Builder kernel(@Nullable String value) {
      kernel = value;
      return this;
    }

    public Builder host(@Nullable String value) {
      host = value;
      return this;
    }

    public Builder error(@Nullable String value) {
      error = value;
      return this;
    }

    public Builder incident(int value) {
      incident = value;
      return this;
    }

    public Builder problems(List<String> value) {
      problems = value;
      return this;
    }

    public TriageResult build() {
      return new TriageResult(
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
          incident,
          problems);
    }
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
    return builder(path)
        .title(d.title())
        .altTitles(d.altTitles())
        .failureClass(d.failureClass().id())
        .signature(crash ? d.signature() : null)
        .corrupted(d.corrupted())
        .frames(crash ? Signature.stack(d.report(), d.primary(), FRAMES) : List.of())
        .seen(seen)
        .kernel(d.report().kernel().release())
        .host(d.report().kernel().hostname())
        .incident(incident)
        .problems(d.report().completeness().problems())
        .build();
  }

  /** A result for an input that could not be read. */
  public static TriageResult unreadable(String path, String error) {
    return builder(path).error(error).build();
  }

  /** True when the input was read and shows a crash. */
  public boolean hasCrash() {
    return error == null && signature != null;
  }
}
