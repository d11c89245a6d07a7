package org.ktriage.analysis.bucket;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * How often a bucket's crash was seen per day (UTC) between its first and last sighting, for a
 * first/last-seen sparkline. Long spans are folded into bins of several days so a series never
 * holds more than {@link #MAX_BINS} counts.
 *
 * @param firstDay the UTC day of the first sighting (the start of bin 0)
 * @param daysPerBin how many days each count covers (1 unless the span exceeds {@link #MAX_BINS})
 * @param counts sightings per bin, oldest first; never empty
 */
public record SeenSeries(LocalDate firstDay, int daysPerBin, List<Integer> counts) {
  /** The most bins a series holds. */
  public static final int MAX_BINS = 366;

  public SeenSeries {
    if (daysPerBin < 1) {
      throw new IllegalArgumentException("daysPerBin must be positive, got " + daysPerBin);
    }
    counts = List.copyOf(counts);
    if (counts.isEmpty()) {
      throw new IllegalArgumentException("a series has at least one bin");
    }
  }

  /** The UTC day the last bin ends on (inclusive). */
  public LocalDate lastDay() {
    return firstDay.plusDays((long) counts.size() * daysPerBin - 1);
  }

  /** The largest count of any bin. */
  public int peak() {
    int max = 0;
    for (int c : counts) {
      max = Math.max(max, c);
    }
    return max;
  }

  /** The series of the given sightings, or null when there are none. */
  public static @Nullable SeenSeries of(Collection<Instant> seen) {
    TreeMap<LocalDate, Integer> days = new TreeMap<>();
    for (Instant t : seen) {
      days.merge(day(t), 1, Integer::sum);
    }
    return ofDays(days);
  }

  /** The series of sightings counted per UTC day, or null when there are none. */
  public static @Nullable SeenSeries ofDays(SortedMap<LocalDate, Integer> days) {
    if (days.isEmpty()) {
      return null;
    }
    LocalDate first = days.firstKey();
    LocalDate last = days.lastKey();
    long span = ChronoUnit.DAYS.between(first, last) + 1;
    int perBin = (int) ((span + MAX_BINS - 1) / MAX_BINS);
    int bins = (int) ((span + perBin - 1) / perBin);
    int[] counts = new int[bins];
    days.forEach((d, n) -> counts[(int) (ChronoUnit.DAYS.between(first, d) / perBin)] += n);
    List<Integer> list = new ArrayList<>(bins);
    for (int c : counts) {
      list.add(c);
    }
    return new SeenSeries(first, perBin, list);
  }

  /**
   * The series of every bucket's sightings, keyed by signature (buckets whose inputs carry no time
   * are absent), grouped the same way as {@link Buckets#group}.
   */
  public static Map<String, SeenSeries> bySignature(List<TriageResult> results) {
    BucketTable table = new BucketTable();
    for (TriageResult r : results) {
      table.add(r);
    }
    return table.seen();
  }

  private static LocalDate day(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC);
  }
}
