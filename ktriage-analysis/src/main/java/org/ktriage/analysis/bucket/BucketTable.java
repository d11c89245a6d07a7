package org.ktriage.analysis.bucket;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A streaming bucket table: the results of each input are folded in as they come (per-bucket
 * counters, the distinct titles, classes, kernels, hosts and days, and one example), so the memory
 * a triage run holds grows with the number of buckets, not of inputs. Only the inputs the output
 * lists one by one are kept (those unreadable or read in part). Tables filled by different workers
 * merge into the same table whatever the order the inputs came in: every figure is a sum, a union,
 * a minimum or a maximum, and the example is the first input in path order.
 *
 * <p>Not thread-safe: one table per worker, {@link #merge} at the end.
 */
public final class BucketTable {
  /** What a bucket holds while inputs are folded in. */
  private static final class Tally {
    int count;
    int corrupted;
    final Map<String, Integer> titles = new HashMap<>();
    final Map<String, Integer> classes = new HashMap<>();
    final TreeSet<String> kernels = new TreeSet<>();
    final TreeSet<String> hosts = new TreeSet<>();
    final TreeMap<LocalDate, Integer> days = new TreeMap<>();
    @Nullable Instant first;
    @Nullable Instant last;
    TriageResult example;

    Tally(TriageResult example) {
      this.example = example;
    }

    void add(TriageResult r) {
      count++;
      if (r.corrupted()) {
        corrupted++;
      }
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
        days.merge(LocalDate.ofInstant(seen, ZoneOffset.UTC), 1, Integer::sum);
      }
      if (EXAMPLE_ORDER.compare(r, example) < 0) {
        example = r;
      }
    }

    void merge(Tally o) {
      count += o.count;
      corrupted += o.corrupted;
      o.titles.forEach((k, v) -> titles.merge(k, v, Integer::sum));
      o.classes.forEach((k, v) -> classes.merge(k, v, Integer::sum));
      kernels.addAll(o.kernels);
      hosts.addAll(o.hosts);
      o.days.forEach((k, v) -> days.merge(k, v, Integer::sum));
      if (o.first != null && (first == null || o.first.isBefore(first))) {
        first = o.first;
      }
      if (o.last != null && (last == null || o.last.isAfter(last))) {
        last = o.last;
      }
      if (EXAMPLE_ORDER.compare(o.example, example) < 0) {
        example = o.example;
      }
    }

    Bucket bucket(String signature) {
      return new Bucket(
          signature,
          mostFrequent(titles, "(no title)"),
          mostFrequent(classes, "unknown"),
          count,
          corrupted,
          first,
          last,
          List.copyOf(kernels),
          List.copyOf(hosts),
          example.path(),
          example.frames());
    }
  }

  /** Inputs in path order, the crashes of one input in log order. */
  private static final Comparator<TriageResult> EXAMPLE_ORDER =
      Comparator.comparing(TriageResult::path).thenComparingInt(TriageResult::incident);

  private final Map<String, Tally> bySignature = new HashMap<>();
  private final List<TriageResult> unreadable = new ArrayList<>();
  private final List<TriageResult> readInPart = new ArrayList<>();
  private int inputs;
  private int crashes;
  private int withCrash;

  /**
   * Folds in the results of one input ({@code TriageCommand}'s one call): one per crash of its log,
   * or the one saying why it could not be read.
   */
  public void addInput(List<TriageResult> results) {
    inputs++;
    boolean crashed = false;
    for (TriageResult r : results) {
      if (r.error() != null) {
        unreadable.add(r);
        continue;
      }
      if (r.incident() == 0 && !r.problems().isEmpty()) {
        readInPart.add(r);
      }
      if (r.hasCrash()) {
        crashes++;
        crashed = true;
      }
      add(r);
    }
    if (crashed) {
      withCrash++;
    }
  }

  /** Folds one result into its bucket (a result without a crash is in none). */
  public void add(TriageResult r) {
    String signature = r.signature();
    if (r.hasCrash() && signature != null) {
      bySignature.computeIfAbsent(signature, k -> new Tally(r)).add(r);
    }
  }

  /** Adds everything {@code other} holds to this table. */
  public void merge(BucketTable other) {
    other.bySignature.forEach(
        (sig, t) -> {
          Tally mine = bySignature.get(sig);
          if (mine == null) {
            bySignature.put(sig, t);
          } else {
            mine.merge(t);
          }
        });
    unreadable.addAll(other.unreadable);
    readInPart.addAll(other.readInPart);
    inputs += other.inputs;
    crashes += other.crashes;
    withCrash += other.withCrash;
  }

  /** The buckets, largest first (ties: by title, then signature). */
  public List<Bucket> buckets() {
    List<Bucket> buckets = new ArrayList<>(bySignature.size());
    bySignature.forEach((sig, t) -> buckets.add(t.bucket(sig)));
    buckets.sort(
        Comparator.comparingInt(Bucket::count)
            .reversed()
            .thenComparing(Bucket::title)
            .thenComparing(Bucket::signature));
    return buckets;
  }

  /**
   * Each bucket's sightings per day, by signature; a bucket whose inputs carry no time is absent.
   */
  public Map<String, SeenSeries> seen() {
    Map<String, SeenSeries> out = new LinkedHashMap<>();
    bySignature.forEach(
        (sig, t) -> {
          SeenSeries s = SeenSeries.ofDays(t.days);
          if (s != null) {
            out.put(sig, s);
          }
        });
    return out;
  }

  /** The inputs that could not be read, in path order. */
  public List<TriageResult> unreadable() {
    List<TriageResult> out = new ArrayList<>(unreadable);
    out.sort(EXAMPLE_ORDER);
    return out;
  }

  /** One result per input read with problems (its first crash's), in path order. */
  public List<TriageResult> readInPart() {
    List<TriageResult> out = new ArrayList<>(readInPart);
    out.sort(EXAMPLE_ORDER);
    return out;
  }

  /** How many inputs were folded in. */
  public int inputs() {
    return inputs;
  }

  /** How many crashes they show (independent crashes of one log count apart). */
  public int crashes() {
    return crashes;
  }

  /** How many inputs were read and show no crash. */
  public int withoutCrash() {
    return inputs - withCrash - unreadable.size();
  }

  /** How many buckets. */
  public int size() {
    return bySignature.size();
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
}
