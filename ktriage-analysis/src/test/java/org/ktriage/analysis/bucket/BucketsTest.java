package org.ktriage.analysis.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BucketsTest {
  private static TriageResult crash(
      String path, String title, String sig, List<String> frames, String day, String kernel) {
    return TriageResult.builder(path)
        .title(title)
        .failureClass("null-deref")
        .signature(sig)
        .frames(frames)
        .seen(Instant.parse(day + "T00:00:00Z"))
        .kernel(kernel)
        .host("host-" + path.charAt(0))
        .build();
  }

  @Test
  void groupsBySignatureLargestFirst() {
    List<String> a = List.of("tcp_v4_rcv", "ip_local_deliver", "netif_receive_skb");
    List<TriageResult> results =
        List.of(
            crash("b.log", "BUG: x in tcp_v4_rcv", "aaaa", a, "2026-01-03", "6.1"),
            crash("a.log", "BUG: x in tcp_v4_rcv", "aaaa", a, "2026-01-01", "6.6"),
            crash("c.log", "BUG: y in foo", "bbbb", List.of("foo"), "2026-01-02", "6.1"),
            TriageResult.unreadable("d.log", "permission denied"),
            TriageResult.builder("e.log").failureClass("unknown").build());
    List<Bucket> buckets = Buckets.group(results);
    assertThat(buckets).extracting(Bucket::signature).containsExactly("aaaa", "bbbb");
    Bucket top = buckets.get(0);
    assertThat(top.count()).isEqualTo(2);
    assertThat(top.examplePath()).isEqualTo("a.log");
    assertThat(top.firstSeen()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(top.lastSeen()).isEqualTo(Instant.parse("2026-01-03T00:00:00Z"));
    assertThat(top.kernels()).containsExactly("6.1", "6.6");
    assertThat(top.hosts()).containsExactly("host-a", "host-b");
  }

  @Test
  void similarStacksAreSuggestedNotMerged() {
    List<String> s1 = List.of("f", "g", "h", "i", "j");
    List<String> s2 = List.of("f2", "g", "h", "i", "j");
    List<TriageResult> results =
        List.of(
            crash("a", "t1", "s1", s1, "2026-01-01", "6.1"),
            crash("b", "t2", "s2", s2, "2026-01-01", "6.1"),
            crash("c", "t3", "s3", List.of("x", "y"), "2026-01-01", "6.1"));
    List<Bucket> buckets = Buckets.group(results);
    assertThat(buckets).hasSize(3);
    List<MergeSuggestion> merges = Buckets.suggestMerges(buckets, 0.75);
    assertThat(merges).hasSize(1);
    assertThat(merges.get(0).similarity()).isEqualTo(0.8);
  }

  @Test
  void similarityIsAnEditDistanceRatio() {
    assertThat(FrameSimilarity.similarity(List.of("a", "b"), List.of("a", "b"))).isEqualTo(1.0);
    assertThat(FrameSimilarity.similarity(List.of("a", "b"), List.of("b", "a"))).isEqualTo(0.5);
    assertThat(FrameSimilarity.similarity(List.of("a"), List.of())).isZero();
    assertThat(FrameSimilarity.similarity(List.of("a", "b", "c"), List.of("x", "y", "z"))).isZero();
  }
}
