package org.ktriage.server.netconsole;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ktriage.server.CrashServer;
import org.ktriage.server.ServerConfig;

/**
 * Real netconsole traffic, replayed: the datagrams a lab guest sent while it crashed ({@link
 * LiveGuestTraffic}) sent again over loopback UDP to a receiver in front of a running service.
 */
class LiveGuestReplayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void theGuestsPanicArrivesAsTwoCompleteReportsInTheBucketOfItsConsoleLog(@TempDir Path tmp)
      throws Exception {
    LiveGuestTraffic traffic = LiveGuestTraffic.load();
    long extendedRecords = traffic.extendedRecords();
    assertThat(extendedRecords).isGreaterThan(400);
    String expected = LiveGuestTraffic.consoleSignature();

    try (CrashServer server =
            CrashServer.start(ServerConfig.defaults(tmp.resolve("data")).withPort(0), "test");
        NetconsoleReceiver nc = traffic.replayInto(server)) {
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
      assertThat(st.missed())
          .isEqualTo(traffic.lastExtendedSeq() + 1 - extendedRecords)
          .isPositive();
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
