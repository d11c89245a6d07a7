package org.ktriage.collect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ktriage.analysis.Analyzer;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.model.CrashReport;
import org.ktriage.server.CrashServer;
import org.ktriage.server.ServerConfig;
import org.ktriage.testkit.Shared;

/**
 * {@code ktriage collect} end to end against a real {@code ktriage serve} on loopback, on kdump
 * directories laid out as RHEL's kdump and Debian's kdump-tools save them (from the lab's real
 * captures) and pstore records as the kernel writes them (from the real log of a lab vmcore, and a
 * lab console log as a console record).
 */
class CollectorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path hostRoot;
  static Path crashDir;
  static Path pstoreDir;
  static Path archiveDir;

  /** Builds the host's /var/crash and pstore directories once (links to the lab's files). */
  @BeforeAll
  static void host() throws IOException {
    crashDir = hostRoot.resolve("var-crash");
    // Debian kdump-tools: /var/crash/<YYYYMMDDHHMM>/dump.<stamp> + dmesg.<stamp>
    Path deb = Files.createDirectories(crashDir.resolve("202612070415"));
    Files.createSymbolicLink(
        deb.resolve("dump.202612070415"),
        Shared.path("lab/fixtures/timer-after-unload-kdump.vmcore"));
    Files.createSymbolicLink(
        deb.resolve("dmesg.202612070415"),
        Shared.path("lab/fixtures/timer-after-unload-kdump.dmesg.txt"));
    // RHEL kdump: /var/crash/<ip>-<date>/vmcore-dmesg.txt (+ vmcore, absent here)
    Path rhel = Files.createDirectories(crashDir.resolve("127.0.0.1-2026-12-07-04:16:02"));
    Files.copy(
        Shared.path("lab/out/soft-lockup-kdump/vmcore-dmesg-elf.txt"),
        rhel.resolve("vmcore-dmesg.txt"));
    // a capture still being written: makedumpfile saves to vmcore-incomplete, then renames
    Path saving = Files.createDirectories(crashDir.resolve("127.0.0.1-2026-12-07-05:01:00"));
    Files.writeString(saving.resolve("vmcore-incomplete"), "");
    Files.writeString(crashDir.resolve("kexec_cmd"), "kexec -p …\n"); // kdump-tools' own file

    // pstore: a panic dump of the real log of a lab vmcore in 3 ramoops records of 4 KiB, and
    // the previous boot's console (a lab console log) as console-ramoops-0
    pstoreDir = hostRoot.resolve("sys-fs-pstore");
    CrashReport dump =
        Ingest.read(
            List.of(Shared.path("lab/fixtures/timer-after-unload-qemu.vmcore")),
            Strictness.LENIENT);
    PstoreWriter.writeDump(pstoreDir, dump.log(), "Panic", 1, 4096, 3);
    Files.copy(
        Shared.path("lab/out/null-deref/console.log"), pstoreDir.resolve("console-ramoops-0"));
    Files.writeString(pstoreDir.resolve("dmesg-ramoops-7.enc.z"), "\u0078\u009c garbage");

    // systemd-pstore's archive of the same dump: its parts joined into <id>/dmesg.txt
    archiveDir = hostRoot.resolve("var-lib-systemd-pstore");
    Path joined = Files.createDirectories(archiveDir.resolve("1733548562"));
    StringBuilder sb = new StringBuilder();
    for (int i = 2; i >= 0; i--) {
      sb.append(
          Files.readString(
              pstoreDir.resolve("dmesg-ramoops-" + i),
              java.nio.charset.StandardCharsets.ISO_8859_1));
    }
    Files.writeString(
        joined.resolve("dmesg.txt"), sb, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static Collector.Options options(URI server, Path state, Duration retryFor) {
    return new Collector.Options(
        server,
        null,
        state,
        List.of(crashDir),
        List.of(pstoreDir, archiveDir),
        List.of(),
        new HostIdentity("lab-guest-1", "0123456789abcdef0123456789abcdef", "6.1.0-56-amd64"),
        List.of("lab"),
        retryFor,
        Duration.ofMillis(200),
        Duration.ofSeconds(2),
        "test");
  }

  private static CrashServer server(Path data, int port) throws Exception {
    return CrashServer.start(ServerConfig.defaults(data).withPort(port), "test");
  }

  private static JsonNode get(CrashServer s, String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(s.url() + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /** Every file under the host's crash material, with size and modification time. */
  private static Map<String, String> snapshot() throws IOException {
    Map<String, String> m = new TreeMap<>();
    for (Path root : List.of(crashDir, pstoreDir, archiveDir)) {
      try (Stream<Path> s = Files.walk(root)) {
        for (Path p : s.toList()) {
          FileTime t = Files.getLastModifiedTime(p);
          m.put(p.toString(), (Files.isDirectory(p) ? "dir" : Files.size(p)) + "@" + t);
        }
      }
    }
    return m;
  }

  private static String signatureOf(List<Path> files) throws IOException {
    return String.valueOf(
        new Analyzer().analyze(Ingest.read(files, Strictness.LENIENT)).signature());
  }

  @Test
  void kdumpAndPstoreReachTheServiceOnceWithTheirBuckets(@TempDir Path tmp) throws Exception {
    Map<String, String> before = snapshot();
    try (CrashServer s = server(tmp.resolve("data"), 0)) {
      List<CollectEvent> events = new CopyOnWriteArrayList<>();
      Collector.Summary first =
          new Collector(
                  options(URI.create(s.url()), tmp.resolve("state"), Duration.ZERO), events::add)
              .run();

      List<CollectEvent.Sent> sent = of(events, CollectEvent.Sent.class);
      assertThat(first).isEqualTo(new Collector.Summary(4, 0, 0, 0));
      assertThat(sent)
          .extracting(CollectEvent.Sent::where)
          .anyMatch(w -> w.endsWith("202612070415"))
          .anyMatch(w -> w.endsWith("127.0.0.1-2026-12-07-04:16:02"))
          .anyMatch(w -> w.endsWith("console-ramoops-0"))
          .anyMatch(w -> w.contains("dmesg-ramoops-*") && w.contains("Panic#1, 3 parts"));
      assertThat(of(events, CollectEvent.PassedOver.class))
          .extracting(CollectEvent.PassedOver::what)
          .anyMatch(w -> w.contains("05:01:00") && w.contains("incomplete"))
          .anyMatch(w -> w.contains("dmesg-ramoops-7.enc.z"));

      // each report is stored with the host's identity and sits in the bucket of its crash
      Map<String, JsonNode> byWhere = new TreeMap<>();
      for (CollectEvent.Sent e : sent) {
        JsonNode r = get(s, "/api/v1/reports/" + e.reportId());
        assertThat(r.get("host").asText()).isEqualTo("lab-guest-1");
        assertThat(r.get("contentKind").asText()).isEqualTo("json");
        byWhere.put(e.where(), r);
      }
      JsonNode debian = find(byWhere, "202612070415");
      assertThat(debian.get("signature").asText())
          .isEqualTo(
              signatureOf(
                  List.of(
                      Shared.path("lab/fixtures/timer-after-unload-kdump.vmcore"),
                      Shared.path("lab/fixtures/timer-after-unload-kdump.dmesg.txt"))));
      assertThat(debian.get("labels")).extracting(JsonNode::asText).contains("lab", "source=kdump");
      JsonNode rhel = find(byWhere, "04:16:02");
      assertThat(rhel.get("class").asText()).isEqualTo("soft-lockup"); // the lab's scenario
      JsonNode console = find(byWhere, "console-ramoops-0");
      assertThat(console.get("class").asText()).isEqualTo("null-deref"); // the lab's scenario
      assertThat(console.get("title").asText()).contains("NULL pointer dereference");
      JsonNode panic = find(byWhere, "dmesg-ramoops-*");
      assertThat(panic.get("labels")).extracting(JsonNode::asText).contains("source=pstore");
      // the pstore dump is the same crash as the kdump capture of the same scenario: one bucket
      assertThat(panic.get("bucketId").asLong()).isEqualTo(debian.get("bucketId").asLong());

      // the service keeps the diagnosis made on the host, with the kernel log and identity
      JsonNode doc = get(s, "/api/v1/reports/" + debian.get("id").asLong() + "/diagnosis");
      assertThat(doc.get("schemaVersion").asInt()).isEqualTo(1);
      assertThat(doc.get("collected").get("machineId").asText())
          .isEqualTo("0123456789abcdef0123456789abcdef");
      assertThat(doc.get("kernelLog").asText()).contains("Linux version 6.1.0-56-amd64");
      assertThat(doc.get("sources").toString()).contains("dump.202612070415");

      long reports = get(s, "/health").get("reports").asLong();
      assertThat(reports).isEqualTo(4);

      // a second run sends nothing new
      events.clear();
      Collector.Summary second =
          new Collector(
                  options(URI.create(s.url()), tmp.resolve("state"), Duration.ZERO), events::add)
              .run();
      assertThat(second).isEqualTo(new Collector.Summary(0, 0, 0, 0));
      assertThat(of(events, CollectEvent.Sent.class)).isEmpty();
      assertThat(of(events, CollectEvent.Queued.class)).isEmpty();
      assertThat(of(events, CollectEvent.AlreadyDone.class)).hasSize(4);
      assertThat(get(s, "/health").get("reports").asLong()).isEqualTo(reports);
    }
    assertThat(snapshot()).as("the user's files are untouched").isEqualTo(before);
  }

  @Test
  void retriesWhileTheServiceIsAwayAndDeliversWhenItComes(@TempDir Path tmp) throws Exception {
    int port;
    try (ServerSocket ss = new ServerSocket(0)) {
      port = ss.getLocalPort();
    }
    URI url = URI.create("http://127.0.0.1:" + port);
    List<CollectEvent> events = new CopyOnWriteArrayList<>();
    Collector.Summary[] summary = new Collector.Summary[1];
    Exception[] failure = new Exception[1];
    Thread collect =
        new Thread(
            () -> {
              try {
                summary[0] =
                    new Collector(
                            options(url, tmp.resolve("state"), Duration.ofSeconds(90)), events::add)
                        .run();
              } catch (Exception e) {
                failure[0] = e;
              }
            });
    collect.start();
    // the service comes up once the collector has knocked at least twice
    long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (of(events, CollectEvent.Retrying.class).size() < 2 && System.nanoTime() < until) {
      Thread.sleep(50);
    }
    assertThat(of(events, CollectEvent.Retrying.class)).hasSizeGreaterThanOrEqualTo(2);
    try (CrashServer s = server(tmp.resolve("data"), port)) {
      collect.join(Duration.ofSeconds(60).toMillis());
      assertThat(collect.isAlive()).isFalse();
      assertThat(failure[0]).isNull();
      assertThat(summary[0]).isEqualTo(new Collector.Summary(4, 0, 0, 0));
      assertThat(get(s, "/health").get("reports").asLong()).isEqualTo(4);
      List<CollectEvent.Retrying> retries = of(events, CollectEvent.Retrying.class);
      // back-off: each wait at least the one before
      for (int i = 1; i < retries.size(); i++) {
        assertThat(retries.get(i).delay()).isGreaterThanOrEqualTo(retries.get(i - 1).delay());
      }
    }
  }

  @Test
  void aRunThatGivesUpKeepsTheOutboxAndTheNextRunSendsItWithoutDiagnosingAgain(@TempDir Path tmp)
      throws Exception {
    int port;
    try (ServerSocket ss = new ServerSocket(0)) {
      port = ss.getLocalPort();
    }
    URI url = URI.create("http://127.0.0.1:" + port);
    List<CollectEvent> events = new ArrayList<>();
    Collector.Summary away =
        new Collector(options(url, tmp.resolve("state"), Duration.ZERO), events::add).run();
    assertThat(away).isEqualTo(new Collector.Summary(0, 4, 0, 0));
    assertThat(of(events, CollectEvent.Pending.class)).hasSize(4);
    assertThat(Files.list(tmp.resolve("state/outbox")).count()).isEqualTo(4);

    events.clear();
    try (CrashServer s = server(tmp.resolve("data"), port)) {
      Collector.Summary back =
          new Collector(options(url, tmp.resolve("state"), Duration.ZERO), events::add).run();
      assertThat(back).isEqualTo(new Collector.Summary(4, 0, 0, 0));
      assertThat(of(events, CollectEvent.Queued.class)).as("no second diagnosis").isEmpty();
      assertThat(Files.list(tmp.resolve("state/outbox")).count()).isZero();
      assertThat(get(s, "/health").get("reports").asLong()).isEqualTo(4);
    }
  }

  /**
   * A ramoops record a lab guest wrote itself (lab/live/live-guest.sh: Debian's 6.1 kernel, the
   * pstore RAM backend in a memmap= reservation, sysrq-c, a warm reset, the record read back from
   * /sys/fs/pstore on the next boot) reaches the service in the bucket of that boot's console log.
   */
  @Test
  void aRamoopsRecordFromALabGuestLandsInTheBucketOfItsConsoleLog(@TempDir Path tmp)
      throws Exception {
    Path pstore = Path.of(CollectorTest.class.getResource("/pstore/live-guest").toURI());
    Path console =
        Path.of(String.valueOf(System.getProperty("ktriage.root")))
            .resolve("ktriage-server/src/test/resources/netconsole/live-guest/console.log");
    try (CrashServer s = server(tmp.resolve("data"), 0)) {
      Collector.Options o = options(URI.create(s.url()), tmp.resolve("state"), Duration.ZERO);
      Collector.Options only =
          new Collector.Options(
              o.server(),
              o.token(),
              o.stateDir(),
              List.of(),
              List.of(pstore),
              List.of(),
              o.identity(),
              o.labels(),
              o.retryFor(),
              o.firstDelay(),
              o.maxDelay(),
              o.version());
      List<CollectEvent> events = new CopyOnWriteArrayList<>();
      assertThat(new Collector(only, events::add).run())
          .isEqualTo(new Collector.Summary(1, 0, 0, 0));
      CollectEvent.Sent sent = of(events, CollectEvent.Sent.class).get(0);
      assertThat(sent.where()).contains("dmesg-ramoops-*").contains("Panic#1, 1 part");
      JsonNode r = get(s, "/api/v1/reports/" + sent.reportId());
      assertThat(r.get("title").asText()).isEqualTo("kernel panic: sysrq triggered crash");
      assertThat(r.get("signature").asText()).isEqualTo(signatureOf(List.of(console)));
      assertThat(r.get("labels")).extracting(JsonNode::asText).contains("source=pstore");

      events.clear();
      assertThat(new Collector(only, events::add).run())
          .isEqualTo(new Collector.Summary(0, 0, 0, 0));
      assertThat(get(s, "/health").get("reports").asLong()).isEqualTo(1);
    }
  }

  private static JsonNode find(Map<String, JsonNode> byWhere, String part) {
    return byWhere.entrySet().stream()
        .filter(e -> e.getKey().contains(part))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no report from " + part + " in " + byWhere.keySet()));
  }

  private static <T> List<T> of(List<CollectEvent> events, Class<T> kind) {
    return events.stream().filter(kind::isInstance).map(kind::cast).toList();
  }
}
