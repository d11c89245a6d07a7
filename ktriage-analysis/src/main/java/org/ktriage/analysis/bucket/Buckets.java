package org.ktriage.analysis.bucket;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Groups per-input triage results into buckets by signature and proposes merges. */
public final class Buckets {
  private Buckets() {}

  /**
   * Buckets of the results that show a crash, largest first (ties: by title); see {@link
   * BucketTable}, which folds results in one by one.
   */
  public static List<Bucket> group(List<TriageResult> results) {
    BucketTable table = new BucketTable();
    for (TriageResult r : results) {
      table.add(r);
    }
    return table.buckets();
  }

  /**
   * Pairs of buckets of the same failure class whose normalized stacks have a similarity of at
   * least {@code threshold} (see {@link FrameSimilarity}), most similar first.
   */
  public static List<MergeSuggestion> suggestMerges(List<Bucket> buckets, double threshold) {
    List<MergeSuggestion> out = new ArrayList<>();
    for (int i = 0; i < buckets.size(); i++) {
      Bucket a = buckets.get(i);
      if (a.frames().isEmpty()) {
        continue;
      }
      for (int j = i + 1; j < buckets.size(); j++) {
        Bucket b = buckets.get(j);
        if (b.frames().isEmpty() || !a.failureClass().equals(b.failureClass())) {
          continue;
        }
        double s = FrameSimilarity.similarity(a.frames(), b.frames());
        if (s >= threshold) {
          out.add(new MergeSuggestion(a.signature(), b.signature(), s));
        }
      }
    }
    out.sort(Comparator.comparingDouble(MergeSuggestion::similarity).reversed());
    return out;
  }
}
