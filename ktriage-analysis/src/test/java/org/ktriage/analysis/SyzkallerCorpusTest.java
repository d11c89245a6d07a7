package org.ktriage.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.ktriage.model.Diagnosis;

/**
 * Over the syzkaller corpus, our {@code class} must agree with the file's {@code TYPE:} header
 * mapped to our vocabulary; prints the confusion table. The floor ratchets up, never down.
 */
class SyzkallerCorpusTest {

  /** Measured agreement with the real text reader: 647/667 = 97.0 % (floor at it). */
  private static final double FLOOR_PERCENT = 97.0;

  /** syzkaller crash TYPE → the classes of ours that agree with it. */
  private static final Map<String, Set<String>> AGREES =
      Map.ofEntries(
          Map.entry(
              "HANG", Set.of("rcu-stall", "hung-task", "soft-lockup", "hard-lockup", "deadlock")),
          Map.entry(
              "DoS",
              Set.of(
                  "gpf",
                  "stack-overflow",
                  "divide-error",
                  "explicit-panic",
                  "page-fault",
                  "null-deref",
                  "bug",
                  "invalid-opcode",
                  "hung-task",
                  "sysrq-crash")),
          Map.entry("LOCKDEP", Set.of("deadlock", "warning", "sleep-in-atomic")),
          Map.entry(
              "MEMORY_SAFETY_BUG",
              Set.of("page-fault", "null-deref", "list-corruption", "gpf", "use-after-free")),
          Map.entry(
              "KASAN-READ", Set.of("out-of-bounds", "use-after-free", "page-fault", "null-deref")),
          Map.entry(
              "KASAN-WRITE", Set.of("out-of-bounds", "use-after-free", "page-fault", "null-deref")),
          Map.entry("KASAN-USE-AFTER-FREE-READ", Set.of("use-after-free")),
          Map.entry("KASAN-USE-AFTER-FREE-WRITE", Set.of("use-after-free")),
          Map.entry("KASAN-INVALID-FREE", Set.of("double-free")),
          Map.entry("KASAN-NULL-POINTER-DEREFERENCE-READ", Set.of("null-deref")),
          Map.entry("BUG", Set.of("bug", "list-corruption")),
          Map.entry("WARNING", Set.of("warning", "list-corruption", "deadlock")),
          Map.entry("NULL-POINTER-DEREFERENCE", Set.of("null-deref")),
          Map.entry("LEAK", Set.of("memory-leak")),
          Map.entry("REFCOUNT_WARNING", Set.of("warning", "use-after-free")),
          Map.entry("ATOMIC_SLEEP", Set.of("sleep-in-atomic")),
          Map.entry("UBSAN", Set.of("undefined-behavior", "out-of-bounds")),
          Map.entry("MEMORY_SAFETY_UBSAN", Set.of("out-of-bounds", "undefined-behavior")),
          Map.entry("KMSAN-UNINIT-VALUE", Set.of("uninit-value")),
          Map.entry("KMSAN-INFO-LEAK", Set.of("uninit-value")),
          Map.entry("KCSAN-DATARACE", Set.of("data-race")),
          Map.entry("KCSAN-ASSERT", Set.of("data-race")),
          Map.entry("KFENCE-USE-AFTER-FREE-READ", Set.of("use-after-free")),
          Map.entry("KFENCE-READ", Set.of("out-of-bounds", "page-fault")),
          Map.entry("KFENCE-WRITE", Set.of("out-of-bounds", "page-fault")),
          Map.entry("KFENCE-INVALID-FREE", Set.of("double-free")),
          Map.entry("KFENCE-MEMORY-CORRUPTION", Set.of("out-of-bounds")),
          Map.entry("SYZ_FAILURE", Set.of("unknown")),
          Map.entry("REBOOT", Set.of("unknown")));

  @Test
  void classAgreesWithTheCorpusType() throws Exception {
    Path dir = Shared.file("corpus/syzkaller/report");
    Map<String, Map<String, Integer>> confusion = new TreeMap<>();
    int total = 0;
    int agree = 0;
    StringBuilder misses = new StringBuilder();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.sorted().toList();
    }
    for (Path p : files) {
      String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
      String type = header(text, "TYPE");
      if (type == null) {
        continue;
      }
      String body = text.contains("\n\n") ? text.substring(text.indexOf("\n\n") + 2) : "";
      int report = body.indexOf("\nREPORT:\n");
      if (report >= 0) {
        body = body.substring(0, report);
      }
      String ours;
      try {
        Diagnosis d = new Analyzer().analyze(Reports.ingest(p.getFileName().toString(), body));
        ours = d.failureClass().id();
      } catch (org.ktriage.ingest.UnreadableInputException e) {
        ours = "unknown"; // the reader found no report at all
      }
      total++;
      confusion.computeIfAbsent(type, k -> new TreeMap<>()).merge(ours, 1, Integer::sum);
      Set<String> ok = AGREES.get(type);
      assertThat(ok).as("TYPE without a mapping: " + type).isNotNull();
      if (ok != null && ok.contains(ours)) {
        agree++;
      } else {
        misses
            .append(p.getFileName())
            .append(' ')
            .append(type)
            .append(" -> ")
            .append(ours)
            .append(" | ")
            .append(header(text, "TITLE"))
            .append('\n');
      }
    }
    double percent = 100.0 * agree / total;
    StringBuilder table = new StringBuilder("syzkaller TYPE -> our class (count)\n");
    confusion.forEach((t, m) -> table.append(String.format("%-36s %s%n", t, m)));
    System.out.println(table);
    System.out.println("misses:\n" + misses);
    System.out.printf("agreement: %d/%d = %.1f%%%n", agree, total, percent);
    assertThat(percent).as(table.toString()).isGreaterThanOrEqualTo(FLOOR_PERCENT);
  }

  private static @org.jspecify.annotations.Nullable String header(String text, String key) {
    for (String line : text.split("\n", -1)) {
      if (line.isEmpty()) {
        return null;
      }
      if (line.startsWith(key + ": ")) {
        return line.substring(key.length() + 2).strip();
      }
    }
    return null;
  }
}
