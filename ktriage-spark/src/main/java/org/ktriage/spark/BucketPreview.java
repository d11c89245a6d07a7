package org.ktriage.spark;

import java.io.Serializable;
import java.util.ArrayList;
import org.ktriage.analysis.bucket.Bucket;

/**
 * One bucket of a re-triage, as the preview shows it: what {@link Bucket} holds less the times (an
 * archive report's time is the service's, not the job's).
 */
public record BucketPreview(
    String signature,
    String title,
    String failureClass,
    int count,
    int corrupted,
    ArrayList<String> kernels,
    ArrayList<String> hosts,
    String example,
    ArrayList<String> frames)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The preview of a bucket made by {@link org.ktriage.analysis.bucket.Buckets#group}. */
  public static BucketPreview of(Bucket b) {
    return new BucketPreview(
        b.signature(),
        b.title(),
        b.failureClass(),
        b.count(),
        b.corrupted(),
        new ArrayList<>(b.kernels()),
        new ArrayList<>(b.hosts()),
        b.examplePath(),
        new ArrayList<>(b.frames()));
  }
}
