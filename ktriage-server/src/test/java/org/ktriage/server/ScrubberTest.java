package org.ktriage.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ktriage.analysis.Analyzer;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.model.CrashReport;
import org.ktriage.model.Diagnosis;
import org.ktriage.testkit.Shared;

/**
 * Scrubbing on real log lines from the shared corpus: each address and host name the kernel or a
 * daemon printed is replaced and nothing else on the line changes; the diagnoses of scrubbed corpus
 * reports keep their signature and title; a server started with scrubbing stores no address of what
 * it was sent.
 */
class ScrubberTest {
  @TempDir Path tmp;

  /** The first line of a shared corpus file that contains {@code marker}. */
  private static String line(String file, String marker) throws IOException {
    try (Stream<String> lines =
        Files.lines(Shared.path("corpus/" + file), StandardCharsets.ISO_8859_1)) {
      return lines.filter(l -> l.contains(marker)).findFirst().orElseThrow();
    }
  }

  @Test
  void realLinesLoseTheirAddressesAndHostNamesOnly() throws IOException {
    Scrubber none = new Scrubber(List.of());
    // %pM and %pI6c in an IPv6 neighbour-discovery message
    assertThat(none.scrub(line("syzkaller/report/113", "advertised our address")))
        .isEqualTo(
            "[  292.763163] ICMPv6: NA: REDACTED-MAC advertised our address REDACTED-IPV6 on"
                + " syz1!");
    // a bridge's %pM after "addr:"
    assertThat(none.scrub(line("syzkaller/report/321", "own address as source")))
        .isEqualTo(
            "[  254.788396] bridge0: received packet on gretap0 with own address as source address"
                + " (addr:REDACTED-MAC, vlan:0)");
    // IPv4 in a console line interleaved with the oops, and in a procfs name
    assertThat(none.scrub(line("syzkaller/report/138", "Connection to")))
        .isEqualTo(
            "[  369.680486]  ? checkpacket_write_wait: Connection to REDACTED-IPV4 port 9600:"
                + " Broken pipe");
    assertThat(none.scrub(line("syzkaller/guilty/30", "ipt_CLUSTERIP/")))
        .isEqualTo("proc_dir_entry 'ipt_CLUSTERIP/REDACTED-IPV4' already registered");
    // daemons' IPv6 addresses in a syslog, one with a port after '#'
    assertThat(none.scrub(line("abrt/examples/oops3.test.template", "Listening on interface #7")))
        .isEqualTo(
            "Nov 19 16:02:37 :HOSTNAME: ntpd[1337]: Listening on interface #7 eth0,"
                + " REDACTED-IPV6#123 Enabled");
    // the host name of a syslog prefix; the kernel's own text around it is kept
    Scrubber jerry = new Scrubber(Arrays.asList("jerry-opti755.example.org", null));
    assertThat(jerry.scrub(line("abrt/examples/koops-tainted-spaces", "WARNING:")))
        .isEqualTo(
            "Oct 11 10:57:36 redacted-host kernel: [ 4552.564721] WARNING:"
                + " atarch/x86/xen/mmu.c:475 xen_make_pte+0x32/0x8e()");
  }

  @Test
  void timesPciAddressesRustPathsAndKernelAddressesStay() {
    Scrubber none = new Scrubber(List.of());
    for (String kept :
        List.of(
            "Nov 19 16:02:36 host kernel: e1000e 0000:00:19.0 eth0: NIC Link is Up",
            "RIP: 0010:skb_release_data+0x1f/0x2a0 RSP: 0018:ffffc90000003d48 EFLAGS: 00010246",
            "Code: 48 89 df e8 00 00 00 00 <0f> 0b 66 0f 1f 44 00 00",
            " <core::fmt::Formatter>::write_fmt+0x10/0x20",
            "[  153.518371] device lo entered promiscuous mode",
            "Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1 SMP",
            "Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1")) {
      assertThat(none.scrub(kept)).as(kept).isEqualTo(kept);
    }
  }

  /**
   * Scrubbing never changes what the diagnosis finds: every 10th report of the syzkaller corpus.
   */
  @Test
  void scrubbedCorpusReportsKeepTheirSignatureAndTitle() throws IOException {
    Path dir = Shared.path("corpus/syzkaller/report");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.sorted().toList();
    }
    int compared = 0;
    int changed = 0;
    List<String> differences = new ArrayList<>();
    for (int i = 0; i < files.size(); i += 10) {
      Path original = files.get(i);
      String text = Files.readString(original, StandardCharsets.ISO_8859_1);
      String scrubbed = new Scrubber(List.of()).scrub(text);
      if (!scrubbed.equals(text)) {
        changed++;
      }
      Path copy = tmp.resolve(original.getFileName().toString());
      Files.writeString(copy, scrubbed, StandardCharsets.ISO_8859_1);
      Diagnosis before;
      try {
        before = diagnose(original);
      } catch (UnreadableInputException e) {
        // no kernel text in it: the scrubbed copy has none either
        assertThatThrownBy(() -> diagnose(copy)).isInstanceOf(UnreadableInputException.class);
        continue;
      }
      Diagnosis after = diagnose(copy);
      compared++;
      if (!java.util.Objects.equals(before.signature(), after.signature())
          || !java.util.Objects.equals(before.title(), after.title())) {
        differences.add(original.getFileName() + ": " + before.title() + " -> " + after.title());
      }
    }
    assertThat(compared).isGreaterThan(50);
    assertThat(changed).as("reports with an address").isPositive();
    assertThat(differences).isEmpty();
  }

  private static Diagnosis diagnose(Path file) throws IOException {
    CrashReport r = Ingest.read(List.of(file), Strictness.LENIENT);
    return new Analyzer().analyze(r);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void aScrubbingServerStoresNoAddressAndBucketsAsBefore(String backend) throws Exception {
    byte[] raw = CrashServerTest.corpus("113");
    ServerConfig config = ServerConfig.defaults(tmp.resolve("data")).withScrub(true);
    try (Backend b = Backend.start(backend, tmp, config)) {
      JsonNode stored =
          CrashServerTest.json(
              b.post("/api/v1/reports?host=syz-fuzzer-7", CrashServerTest.gzip(raw)));
      long id = stored.get("id").longValue();
      String kept = b.get("/api/v1/reports/" + id + "/raw").body();
      assertThat(kept)
          .doesNotContain("fe80::1aa")
          .doesNotContain("bb:bb:bb:bb:bb:01")
          .contains("advertised our address REDACTED-IPV6");
      String diagnosis = b.get("/api/v1/reports/" + id + "/diagnosis").body();
      assertThat(diagnosis).doesNotContain("fe80::1aa").doesNotContain("bb:bb:bb:bb:bb:01");
      // the bucket is the one an unscrubbed diagnosis gives
      Diagnosis plain = diagnose(Shared.path("corpus/syzkaller/report/113"));
      assertThat(stored.get("signature").textValue()).isEqualTo(plain.signature());
      // the HTML report is drawn from the scrubbed text
      String html = b.get("/api/v1/reports/" + id + "/html").body();
      assertThat(html).doesNotContain("fe80::1aa");
    }
  }
}
