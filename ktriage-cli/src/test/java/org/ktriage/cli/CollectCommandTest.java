package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ktriage.server.CrashServer;
import org.ktriage.server.ServerConfig;
import org.ktriage.testkit.Shared;

/** {@code ktriage collect} as a command: its options, lines and exit codes, on a real service. */
class CollectCommandTest {

  @Test
  void withoutAServiceItIsAUsageError() {
    Run r = Run.of("collect", "--state", "/nonexistent-never-created");
    assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).startsWith("ktriage collect: --server URL");
    assertThat(Run.of("collect", "--server", "ftp://x/").exitCode()).isEqualTo(ExitCode.USAGE);
  }

  @Test
  void aGivenLogIsSentOnceAndWaitsWhileTheServiceIsAway(@TempDir Path tmp) throws Exception {
    Path log = tmp.resolve("vmcore-dmesg.txt");
    Files.copy(Shared.path("lab/out/soft-lockup-kdump/vmcore-dmesg-elf.txt"), log);
    String state = tmp.resolve("state").toString();
    int port;
    try (ServerSocket ss = new ServerSocket(0)) {
      port = ss.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port;

    Run away =
        Run.with(
            Map.of("KTRIAGE_SERVER", url),
            false,
            "collect",
            "--state",
            state,
            "--retry-for",
            "0",
            log.toString());
    assertThat(away.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(away.out()).contains("diagnosed " + log).contains("not sent " + log);

    try (CrashServer s =
        CrashServer.start(ServerConfig.defaults(tmp.resolve("data")).withPort(port), "test")) {
      Run sent =
          Run.of("collect", "--server", url, "--state", state, "--host", "web 7", log.toString());
      assertThat(sent.exitCode()).as(sent.err()).isEqualTo(ExitCode.ANALYSED);
      assertThat(sent.out())
          .containsPattern("sent .*vmcore-dmesg.txt: report 1, bucket 1 — .*soft lockup");
      Run again = Run.of("collect", "--server", url, "--state", state, log.toString());
      assertThat(again.exitCode()).isEqualTo(ExitCode.ANALYSED);
      assertThat(again.out()).isEqualTo("nothing new (1 handled before)\n");
    }
  }
}
