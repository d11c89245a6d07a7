package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.ktriage.testkit.Shared;

/**
 * The shared syzkaller corpus as the server tests post it, and its buckets as {@code ktriage
 * triage} and as the service's API give them, each bucket keyed by what both must agree on (title,
 * class, count, kernel releases). Shared by the tests that compare serve with triage.
 */
final class SyzkallerBuckets {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SyzkallerBuckets() {}

  /** One GET of the service's API, answered 200, as JSON. */
  @FunctionalInterface
  interface Api {
    JsonNode get(String path) throws Exception;
  }

  /**
   * Copies one file of each distinct content of {@code corpus/syzkaller/report} into {@code dir}
   * (the server stores one report per content hash) and returns file name → SHA-256, sorted.
   */
  static TreeMap<String, String> distinctCopy(Path dir) throws Exception {
    TreeMap<String, String> shaOfFile = new TreeMap<>();
    Set<String> seen = new HashSet<>();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (Stream<Path> files = Files.list(Shared.path("corpus/syzkaller/report"))) {
      for (Path f : files.sorted().toList()) {
        byte[] b = Files.readAllBytes(f);
        String hex = HexFormat.of().formatHex(sha.digest(b));
        if (seen.add(hex)) {
          Files.write(dir.resolve(f.getFileName().toString()), b);
          shaOfFile.put(f.getFileName().toString(), hex);
        }
      }
    }
    assertThat(shaOfFile).hasSizeGreaterThan(700);
    return shaOfFile;
  }

  /** {@code ktriage triage --format json} of {@code dir}: signature → bucket key. */
  static TreeMap<String, String> ofTriage(Path dir) throws Exception {
    Run run = Run.of("triage", "--format", "json", "--no-progress", dir.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    TreeMap<String, String> triage = new TreeMap<>();
    for (JsonNode b : JSON.readTree(run.out()).get("buckets")) {
      triage.put(b.get("signature").textValue(), key(b, b.get("kernels")));
    }
    return triage;
  }

  /** The service's buckets (list, then each bucket's releases): signature → bucket key. */
  static TreeMap<String, String> ofService(Api api) throws Exception {
    TreeMap<String, String> served = new TreeMap<>();
    for (JsonNode b : api.get("/api/v1/buckets?limit=1000").get("buckets")) {
      JsonNode detail = api.get("/api/v1/buckets/" + b.get("id").asLong());
      served.put(b.get("signature").textValue(), key(b, detail.get("releases")));
    }
    return served;
  }

  /** What triage and the service must agree on for one bucket. */
  private static String key(JsonNode bucket, JsonNode kernels) {
    List<String> k = new ArrayList<>();
    kernels.forEach(n -> k.add(n.isTextual() ? n.textValue() : n.get("value").textValue()));
    k.sort(null);
    return bucket.get("title").textValue()
        + " | "
        + bucket.get("class").textValue()
        + " | "
        + bucket.get("count").asLong()
        + " | "
        + k;
  }
}
