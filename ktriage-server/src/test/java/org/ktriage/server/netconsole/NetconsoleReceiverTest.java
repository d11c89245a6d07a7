package org.ktriage.server.netconsole;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ktriage.analysis.Analyzer;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.model.LogRecord;
import org.ktriage.server.CrashServer;
import org.ktriage.server.ServerConfig;
import org.ktriage.testkit.Shared;

/**
 * The netconsole receiver on loopback with the datagrams a kernel sends: extended netconsole built
 * from the printk records of a real lab vmcore (level, sequence number, time stamp, text), plain
 * netconsole from a real lab console log (one datagram per console line, as {@code write_msg()}
 * sends them), fed to a real {@code ktriage serve}.
 */
class NetconsoleReceiverTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** {@code MAX_PRINT_CHUNK} of drivers/net/netconsole.c. */
  static final int CHUNK = 1000;

  static List<LogRecord> timerRecords = List.of();
  static List<String> nullDerefConsole = List.of();

  @BeforeAll
  static void material() throws Exception {
    timerRecords =
        Ingest.read(
                List.of(Shared.path("lab/fixtures/timer-after-unload-kdump.vmcore")),
                Strictness.LENIENT)
            .log();
    // the console log's kernel lines (the lab's init also wrote to the console; netconsole
    // carries only kernel messages)
    nullDerefConsole =
        Files.readAllLines(
                Shared.path("lab/out/null-deref/console.log"), StandardCharsets.ISO_8859_1)
            .stream()
            .filter(l -> l.startsWith("["))
            .toList();
  }

  /** The datagrams of one printk record in extended form, fragmented past {@link #CHUNK}. */
  static List<byte[]> extended(LogRecord r) {
    long usec = r.timestampNanos() == null ? 0 : r.timestampNanos() / 1000;
    String header = Math.max(0, r.level()) + "," + r.seq() + "," + usec + ",-";
    byte[] body = (r.text() + "\n").getBytes(StandardCharsets.ISO_8859_1);
    List<byte[]> out = new ArrayList<>();
    if (header.length() + 1 + body.length <= CHUNK) {
      out.add(concat((header + ";").getBytes(StandardCharsets.ISO_8859_1), body, 0, body.length));
      return out;
    }
    for (int off = 0; off < body.length; ) {
      byte[] h =
          (header + ",ncfrag=" + off + "/" + body.length + ";")
              .getBytes(StandardCharsets.ISO_8859_1);
      int n = Math.min(CHUNK - h.length, body.length - off);
      out.add(concat(h, body, off, n));
      off += n;
    }
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b, int off, int n) {
    byte[] c = new byte[a.length + n];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, off, c, a.length, n);
    return c;
  }

  /** The datagrams plain netconsole sends for one console line. */
  static List<byte[]> plain(String line) {
    byte[] b = (line + "\n").getBytes(StandardCharsets.ISO_8859_1);
    List<byte[]> out = new ArrayList<>();
    for (int off = 0; off < b.length; off += CHUNK) {
      out.add(java.util.Arrays.copyOfRange(b, off, Math.min(b.length, off + CHUNK)));
    }
    return out;
  }

  static void send(DatagramSocket s, int port, byte[] d) throws Exception {
    s.send(new DatagramPacket(d, d.length, InetAddress.getLoopbackAddress(), port));
  }

  private static JsonNode get(CrashServer s, String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(s.url() + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static List<JsonNode> awaitReports(CrashServer s, int n) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (get(s, "/health").get("reports").asLong() < n && System.nanoTime() < until) {
      Thread.sleep(100);
    }
    List<JsonNode> reports = new ArrayList<>();
    for (long id = 1; reports.size() < get(s, "/health").get("reports").asLong(); id++) {
      reports.add(get(s, "/api/v1/reports/" + id));
    }
    return reports;
  }

  private static NetconsoleReceiver.Config fast() {
    return new NetconsoleReceiver.Config(
        "127.0.0.1", 0, Duration.ofMillis(500), Duration.ofSeconds(2), 100);
  }

  @Test
  void twoSendersInterleavedBecomeTheirOwnReports(@TempDir Path tmp) throws Exception {
    try (CrashServer server =
            CrashServer.start(ServerConfig.defaults(tmp.resolve("data")).withPort(0), "test");
        NetconsoleReceiver nc =
            NetconsoleReceiver.start(fast(), new HttpReportSink(URI.create(server.url()), null));
        DatagramSocket extendedHost = new DatagramSocket();
        DatagramSocket plainHost = new DatagramSocket()) {
      List<byte[]> ext = new ArrayList<>();
      timerRecords.forEach(r -> ext.addAll(extended(r)));
      List<byte[]> pl = new ArrayList<>();
      nullDerefConsole.forEach(l -> pl.addAll(plain(l)));
      for (int i = 0; i < Math.max(ext.size(), pl.size()); i++) {
        if (i < ext.size()) {
          send(extendedHost, nc.port(), ext.get(i));
        }
        if (i < pl.size()) {
          send(plainHost, nc.port(), pl.get(i));
        }
        if (i % 64 == 0) {
          Thread.sleep(1); // the pace of a console, not a flood
        }
      }
      List<JsonNode> reports = awaitReports(server, 2);
      assertThat(reports).hasSize(2);
      JsonNode timer =
          reports.stream()
              .filter(r -> !r.get("class").asText().equals("null-deref"))
              .findFirst()
              .orElseThrow();
      JsonNode nullDeref =
          reports.stream()
              .filter(r -> r.get("class").asText().equals("null-deref"))
              .findFirst()
              .orElseThrow();
      // the same buckets as the lab's own logs of these crashes
      assertThat(timer.get("signature").asText())
          .isEqualTo(
              new Analyzer()
                  .analyze(
                      Ingest.read(
                          List.of(Shared.path("lab/fixtures/timer-after-unload-kdump.dmesg.txt")),
                          Strictness.LENIENT))
                  .signature());
      assertThat(nullDeref.get("title").asText()).contains("NULL pointer dereference");
      for (JsonNode r : reports) {
        assertThat(r.get("host").asText()).isEqualTo("127.0.0.1");
        assertThat(r.get("labels"))
            .extracting(JsonNode::asText)
            .containsExactly("source=netconsole");
        assertThat(r.get("release").asText()).isEqualTo("6.1.0-56-amd64");
      }
      // the server stores a report before its answer reaches the sink, which counts it then:
      // wait (bounded) for the second answer before reading the counters
      ReceiverStats st = nc.stats();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (st.delivered() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
        st = nc.stats();
      }
      assertThat(st.records()).isEqualTo(timerRecords.size());
      assertThat(st.missed()).isZero();
      assertThat(st.partialReports()).isZero();
      assertThat(st.delivered()).isEqualTo(2);
    }
  }

  @Test
  void aSenderSilentMidOopsBecomesAPartialReport(@TempDir Path tmp) throws Exception {
    int trace =
        nullDerefConsole.indexOf(
            nullDerefConsole.stream()
                .filter(l -> l.contains("Call Trace:"))
                .findFirst()
                .orElseThrow());
    try (CrashServer server =
            CrashServer.start(ServerConfig.defaults(tmp.resolve("data")).withPort(0), "test");
        NetconsoleReceiver nc =
            NetconsoleReceiver.start(fast(), new HttpReportSink(URI.create(server.url()), null));
        DatagramSocket host = new DatagramSocket()) {
      // the machine stops three frames into the call trace
      for (String l : nullDerefConsole.subList(0, trace + 4)) {
        for (byte[] d : plain(l)) {
          send(host, nc.port(), d);
        }
      }
      List<JsonNode> reports = awaitReports(server, 1);
      assertThat(reports).hasSize(1);
      assertThat(reports.get(0).get("labels"))
          .extracting(JsonNode::asText)
          .containsExactly("partial", "source=netconsole");
      assertThat(reports.get(0).get("class").asText()).isEqualTo("null-deref");
      assertThat(nc.stats().partialReports()).isEqualTo(1);
    }
  }

  @Test
  void fragmentsOfTheDocumentedExampleJoinInAnyOrderAndGapsAreCounted() throws Exception {
    List<CutReport> got = new CopyOnWriteArrayList<>();
    try (NetconsoleReceiver nc = NetconsoleReceiver.start(fast(), got::add);
        DatagramSocket host = new DatagramSocket()) {
      // Documentation/networking/netconsole.rst: "the first chunk, the 2nd chunk." in 2 fragments
      send(
          host,
          nc.port(),
          "6,416,1758426,-,ncfrag=16/31; the 2nd chunk.".getBytes(StandardCharsets.US_ASCII));
      send(
          host,
          nc.port(),
          "6,416,1758426,-,ncfrag=0/31;the first chunk,".getBytes(StandardCharsets.US_ASCII));
      // records 417..499 with 10 never sent
      java.util.Set<Integer> lost =
          java.util.Set.of(420, 421, 430, 440, 441, 442, 443, 444, 445, 446);
      for (int seq = 417; seq < 500; seq++) {
        if (lost.contains(seq)) {
          continue;
        }
        send(
            host,
            nc.port(),
            ("6," + seq + ",1758427,-;line " + seq + "\n").getBytes(StandardCharsets.US_ASCII));
      }
      long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (nc.stats().records() < 500 - 416 - 10 && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      ReceiverStats st = nc.stats();
      assertThat(st.records()).isEqualTo(500 - 416 - 10);
      assertThat(st.missed()).isEqualTo(10);
      assertThat(got).isEmpty(); // no crash in it, nothing cut
    }
  }

  @Test
  void extendedHeaderFieldsAreRead() {
    Datagram d =
        Datagram.parse(
            "6.13.0-04048-g4f561a87745a,13,468,514729715,-,caller=T1,ncfrag=0/1135;abc"
                .getBytes(StandardCharsets.US_ASCII),
            73);
    assertThat(d).isInstanceOf(Datagram.Extended.class);
    Datagram.Extended e = (Datagram.Extended) d;
    assertThat(e.release()).isEqualTo("6.13.0-04048-g4f561a87745a");
    assertThat(e.level()).isEqualTo(5); // 13 = facility 1 (user) << 3 | level 5
    assertThat(e.seq()).isEqualTo(468);
    assertThat(e.micros()).isEqualTo(514729715);
    assertThat(e.fragmentOffset()).isZero();
    assertThat(e.fragmentTotal()).isEqualTo(1135);
    assertThat(SenderStream.syslogLine(4, 2_946_005, "BUG: x"))
        .isEqualTo("<4>[    2.946005] BUG: x");
    assertThat(SenderStream.syslogLine(6, 123_456_789_000_001L, "y"))
        .isEqualTo("<6>[123456789.000001] y");
    assertThat(Datagram.parse("[    2.946005] BUG: x\n".getBytes(StandardCharsets.US_ASCII), 22))
        .isInstanceOf(Datagram.Plain.class);
  }
}
