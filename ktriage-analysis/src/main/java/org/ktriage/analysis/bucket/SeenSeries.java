package org.ktriage.analysis.bucket;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    if (seen.isEmpty()) {
      return null;
    }
    LocalDate first = day(seen.stream().min(Comparator.naturalOrder()).orElseThrow());
    LocalDate last = day(seen.stream().max(Comparator.naturalOrder()).orElseThrow());
    long days = ChronoUnit.DAYS.between(first, last) + 1;
    int perBin = (int) ((days + MAX_BINS - 1) / MAX_BINS);
    int bins = (int) ((days + perBin - 1) / perBin);
    int[] counts = new int[bins];
    for (Instant t : seen) {
      counts[(int) (ChronoUnit.DAYS.between(first, day(t)) / perBin)]++;
    }
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
    Map<String, List<Instant>> seen = new LinkedHashMap<>();
    for (TriageResult r : results) {
      String sig = r.signature();
      Instant t = r.seen();
      if (r.hasCrash() && sig != null && t != null) {
        seen.computeIfAbsent(sig, k -> new ArrayList<>()).add(t);
      }
    }
    Map<String, SeenSeries> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<Instant>> e : seen.entrySet()) {
      SeenSeries s = of(e.getValue());
      if (s != null) {
        out.put(e.getKey(), s);
      }
    }
    return out;
  }

  private static LocalDate day(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC);
  }
}
