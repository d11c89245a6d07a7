package org.ktriage.analysis.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BucketTableTest {
  /** One input's results: a crash of signature {@code sig} and, for some, a second incident. */
  private static List<TriageResult> input(int i, Random rnd) {
    String path = String.format("logs/%05d.log", i);
    if (i % 17 == 0) {
      return List.of(TriageResult.unreadable(path, "permission denied"));
    }
    if (i % 13 == 0) {
      return List.of(TriageResult.builder(path).failureClass("unknown").build());
    }
    List<TriageResult> out = new ArrayList<>();
    int incidents = i % 5 == 0 ? 2 : 1;
    for (int n = 0; n < incidents; n++) {
      String sig = "sig" + ((i + n) % 7);
      out.add(
          TriageResult.builder(path)
              .title("BUG: crash " + ((i + n) % 7) + (rnd.nextInt(4) == 0 ? " (variant)" : ""))
              .failureClass(rnd.nextBoolean() ? "null-deref" : "gpf")
              .signature(sig)
              .frames(List.of("f" + ((i + n) % 7), "g"))
              .seen(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(86_400L * rnd.nextInt(900)))
              .kernel("6." + rnd.nextInt(3))
              .host("host-" + rnd.nextInt(5))
              .corrupted(rnd.nextInt(9) == 0)
              .incident(n)
              .problems(n == 0 && i % 11 == 0 ? List.of("cut at 16 MiB") : List.of())
              .build());
    }
    return out;
  }

  @Test
  void tablesFilledInAnyOrderAndMergedEqualOneTableInPathOrder() {
    Random rnd = new Random(16);
    List<List<TriageResult>> inputs = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      inputs.add(input(i, rnd));
    }
    BucketTable serial = new BucketTable();
    inputs.forEach(serial::addInput);

    List<List<TriageResult>> shuffled = new ArrayList<>(inputs);
    Collections.shuffle(shuffled, new Random(7));
    BucketTable[] workers = {new BucketTable(), new BucketTable(), new BucketTable()};
    for (int i = 0; i < shuffled.size(); i++) {
      workers[i % workers.length].addInput(shuffled.get(i));
    }
    BucketTable merged = workers[2];
    merged.merge(workers[0]);
    merged.merge(workers[1]);

    assertThat(merged.buckets()).isEqualTo(serial.buckets());
    assertThat(merged.seen()).isEqualTo(serial.seen());
    assertThat(merged.unreadable()).isEqualTo(serial.unreadable());
    assertThat(merged.readInPart()).isEqualTo(serial.readInPart());
    assertThat(merged.inputs()).isEqualTo(2_000);
    assertThat(merged.crashes()).isEqualTo(serial.crashes());
    assertThat(merged.withoutCrash()).isEqualTo(serial.withoutCrash());

    // the figures themselves, against the results kept whole
    List<TriageResult> all = inputs.stream().flatMap(List::stream).toList();
    assertThat(serial.buckets()).isEqualTo(Buckets.group(all));
    assertThat(serial.size()).isEqualTo(7);
    assertThat(serial.buckets().stream().mapToInt(Bucket::count).sum())
        .isEqualTo(serial.crashes())
        .isEqualTo((int) all.stream().filter(TriageResult::hasCrash).count());
    assertThat(serial.unreadable()).hasSize(118).allMatch(r -> r.error() != null);
    assertThat(serial.unreadable().get(0).path()).isEqualTo("logs/00000.log");
    assertThat(serial.readInPart()).allMatch(r -> r.incident() == 0 && !r.problems().isEmpty());
    Bucket first = serial.buckets().get(0);
    assertThat(first.examplePath())
        .isEqualTo(
            all.stream()
                .filter(r -> first.signature().equals(r.signature()))
                .map(TriageResult::path)
                .sorted()
                .findFirst()
                .orElseThrow());
    for (Bucket b : serial.buckets()) {
      List<Instant> seen =
          all.stream()
              .filter(r -> b.signature().equals(r.signature()))
              .map(TriageResult::seen)
              .toList();
      SeenSeries series = serial.seen().get(b.signature());
      assertThat(series).isNotNull().isEqualTo(SeenSeries.of(seen));
      assertThat(series == null ? 0 : series.daysPerBin()).isEqualTo(3);
    }
  }

  @Test
  void anInputWithTwoCrashesCountsOnceAsAnInputAndTwiceAsCrashes() {
    BucketTable t = new BucketTable();
    t.addInput(
        List.of(
            TriageResult.builder("a").signature("s1").title("t1").incident(0).build(),
            TriageResult.builder("a").signature("s2").title("t2").incident(1).build()));
    t.addInput(List.of(TriageResult.builder("b").failureClass("unknown").build()));
    t.addInput(List.of(TriageResult.unreadable("c", "no such file")));
    assertThat(t.inputs()).isEqualTo(3);
    assertThat(t.crashes()).isEqualTo(2);
    assertThat(t.withoutCrash()).isEqualTo(1);
    assertThat(t.unreadable()).extracting(TriageResult::path).containsExactly("c");
    assertThat(t.buckets()).extracting(Bucket::signature).containsExactly("s1", "s2");
  }
}
