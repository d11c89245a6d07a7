package org.ktriage.analysis.bucket;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Groups per-input triage results into buckets by signature and proposes merges. */
public final class Buckets {
  private Buckets() {}

  /** Buckets of the results that show a crash, largest first (ties: by title). */
  public static List<Bucket> group(List<TriageResult> results) {
    Map<String, List<TriageResult>> bySignature = new LinkedHashMap<>();
    for (TriageResult r : results) {
      if (r.hasCrash() && r.signature() != null) {
        bySignature.computeIfAbsent(r.signature(), k -> new ArrayList<>()).add(r);
      }
    }
    List<Bucket> buckets = new ArrayList<>();
    for (Map.Entry<String, List<TriageResult>> e : bySignature.entrySet()) {
      buckets.add(bucket(e.getKey(), e.getValue()));
    }
    buckets.sort(
        Comparator.comparingInt(Bucket::count)
            .reversed()
            .thenComparing(Bucket::title)
            .thenComparing(Bucket::signature));
    return buckets;
  }

  private static Bucket bucket(String signature, List<TriageResult> members) {
    List<TriageResult> sorted = new ArrayList<>(members);
    sorted.sort(Comparator.comparing(TriageResult::path));
    Map<String, Integer> titles = new HashMap<>();
    Map<String, Integer> classes = new HashMap<>();
    TreeSet<String> kernels = new TreeSet<>();
    TreeSet<String> hosts = new TreeSet<>();
    Instant first = null;
    Instant last = null;
    int corrupted = 0;
    for (TriageResult r : sorted) {
      if (r.title() != null) {
        titles.merge(r.title(), 1, Integer::sum);
      }
      if (r.failureClass() != null) {
        classes.merge(r.failureClass(), 1, Integer::sum);
      }
      if (r.kernel() != null) {
        kernels.add(r.kernel());
      }
      if (r.host() != null) {
        hosts.add(r.host());
      }
      Instant seen = r.seen();
      if (seen != null) {
        first = first == null || seen.isBefore(first) ? seen : first;
        last = last == null || seen.isAfter(last) ? seen : last;
      }
      if (r.corrupted()) {
        corrupted++;
      }
    }
    TriageResult example = sorted.get(0);
    return new Bucket(
        signature,
        mostFrequent(titles, "(no title)"),
        mostFrequent(classes, "unknown"),
        sorted.size(),
        corrupted,
        first,
        last,
        List.copyOf(kernels),
        List.copyOf(hosts),
        example.path(),
        example.frames());
  }

  private static String mostFrequent(Map<String, Integer> counts, String fallback) {
    String best = null;
    int bestCount = 0;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      int c = e.getValue();
      if (c > bestCount || (c == bestCount && best != null && e.getKey().compareTo(best) < 0)) {
        best = e.getKey();
        bestCount = c;
      }
    }
    return best == null ? fallback : best;
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
