package org.ktriage.server.netconsole;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ktriage.analysis.Analyzer;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.server.CrashServer;
import org.ktriage.server.ServerConfig;

/**
 * Real netconsole traffic, replayed: the datagrams a lab guest (Debian's 6.1 kernel under QEMU,
 * {@code lab/live/live-guest.sh}) sent to the host over QEMU user networking while it crashed
 * (sysrq-c, {@code kernel.panic=1}), one plain and one extended target, recorded by the script's
 * tap in arrival order and sent again over loopback UDP from one socket per target.
 */
class LiveGuestReplayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(LiveGuestReplayTest.class.getResource("/netconsole/live-guest/" + name).toURI());
  }

  @Test
  void theGuestsPanicArrivesAsTwoCompleteReportsInTheBucketOfItsConsoleLog(@TempDir Path tmp)
      throws Exception {
    Map<String, String> targets = new LinkedHashMap<>();
    for (String l : Files.readAllLines(resource("ports.txt"))) {
      String[] f = l.split(" ");
      targets.put(f[1], f[0]);
    }
    List<String[]> datagrams = new ArrayList<>();
    for (String l : Files.readAllLines(resource("datagrams.txt"))) {
      datagrams.add(l.split(" ", 2));
    }
    long extendedRecords = 0;
    long lastSeq = -1;
    for (String[] d : datagrams) {
      if ("extended".equals(targets.get(d[0]))) {
        String text = new String(Base64.getDecoder().decode(d[1]), StandardCharsets.ISO_8859_1);
        extendedRecords++;
        lastSeq = Math.max(lastSeq, Long.parseLong(text.split(",", 3)[1]));
      }
    }
    assertThat(extendedRecords).isGreaterThan(400);
    String expected =
        new Analyzer()
            .analyze(Ingest.read(List.of(resource("console.log")), Strictness.LENIENT))
            .signature();

    try (CrashServer server =
            CrashServer.start(ServerConfig.defaults(tmp.resolve("data")).withPort(0), "test");
        NetconsoleReceiver nc =
            NetconsoleReceiver.start(
                new NetconsoleReceiver.Config(
                    "127.0.0.1", 0, Duration.ofMillis(500), Duration.ofSeconds(30), 100),
                new HttpReportSink(URI.create(server.url()), null));
        DatagramSocket plain = new DatagramSocket();
        DatagramSocket extended = new DatagramSocket()) {
      int i = 0;
      for (String[] d : datagrams) {
        byte[] b = Base64.getDecoder().decode(d[1]);
        DatagramSocket s = "extended".equals(targets.get(d[0])) ? extended : plain;
        s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), nc.port()));
        if (++i % 64 == 0) {
          Thread.sleep(1);
        }
      }
      // well within the 30 s silence: the panic's "Rebooting in 1 seconds.." ends each report
      long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (get(server, "/health").get("reports").asLong() < 2 && System.nanoTime() < until) {
        Thread.sleep(100);
      }
      // the receiver counts a delivery once the service's answer is back
      until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (nc.stats().delivered() < 2 && System.nanoTime() < until) {
        Thread.sleep(100);
      }
      assertThat(get(server, "/health").get("reports").asLong()).isEqualTo(2);
      for (long id = 1; id <= 2; id++) {
        JsonNode r = get(server, "/api/v1/reports/" + id);
        assertThat(r.get("signature").asText()).isEqualTo(expected);
        assertThat(r.get("title").asText()).isEqualTo("kernel panic: sysrq triggered crash");
        assertThat(r.get("labels"))
            .extracting(JsonNode::asText)
            .containsExactly("source=netconsole");
        assertThat(r.get("release").asText()).isEqualTo("6.1.0-56-amd64");
      }
      ReceiverStats st = nc.stats();
      assertThat(st.partialReports()).isZero();
      assertThat(st.delivered()).isEqualTo(2);
      assertThat(st.records()).isEqualTo(extendedRecords);
      // the guest's console loglevel filtered some records out: gaps in the sequence numbers
      assertThat(st.missed()).isEqualTo(lastSeq + 1 - extendedRecords).isPositive();
    }
  }

  private static JsonNode get(CrashServer s, String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(s.url() + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
