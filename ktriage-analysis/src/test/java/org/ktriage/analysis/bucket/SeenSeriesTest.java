package org.ktriage.analysis.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class SeenSeriesTest {
  private static TriageResult crash(String path, String sig, String instant) {
    return TriageResult.builder(path)
        .title("BUG: x")
        .failureClass("null-deref")
        .signature(sig)
        .seen(Instant.parse(instant))
        .build();
  }

  @Test
  void countsPerUtcDayBetweenFirstAndLastSeen() {
    List<TriageResult> results =
        List.of(
            crash("a", "s1", "2026-01-01T23:59:59Z"),
            crash("b", "s1", "2026-01-04T00:00:00Z"),
            crash("c", "s1", "2026-01-04T12:00:00Z"),
            crash("d", "s2", "2026-02-10T08:00:00Z"),
            TriageResult.unreadable("e", "permission denied"));
    Map<String, SeenSeries> series = SeenSeries.bySignature(results);

    assertThat(series).containsOnlyKeys("s1", "s2");
    SeenSeries s1 = Objects.requireNonNull(series.get("s1"));
    assertThat(s1.firstDay()).isEqualTo(LocalDate.parse("2026-01-01"));
    assertThat(s1.daysPerBin()).isEqualTo(1);
    assertThat(s1.counts()).containsExactly(1, 0, 0, 2);
    assertThat(s1.lastDay()).isEqualTo(LocalDate.parse("2026-01-04"));
    assertThat(s1.peak()).isEqualTo(2);
    assertThat(Objects.requireNonNull(series.get("s2")).counts()).containsExactly(1);
  }

  @Test
  void longSpansFoldIntoBinsOfSeveralDays() {
    SeenSeries s =
        Objects.requireNonNull(
            SeenSeries.of(
                List.of(
                    Instant.parse("2020-01-01T00:00:00Z"),
                    Instant.parse("2020-01-02T00:00:00Z"),
                    Instant.parse("2025-12-31T00:00:00Z"))));

    assertThat(s.counts().size()).isLessThanOrEqualTo(SeenSeries.MAX_BINS);
    assertThat(s.daysPerBin()).isEqualTo(6);
    assertThat(s.counts().get(0)).isEqualTo(2);
    assertThat(s.counts().get(s.counts().size() - 1)).isEqualTo(1);
    assertThat(s.counts().stream().mapToInt(Integer::intValue).sum()).isEqualTo(3);
    assertThat(s.lastDay()).isAfterOrEqualTo(LocalDate.parse("2025-12-31"));
  }

  @Test
  void noSightingsNoSeries() {
    assertThat(SeenSeries.of(List.of())).isNull();
  }
}
