package org.ktriage.server.netconsole;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ktriage.analysis.Analyzer;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.server.CrashServer;

/**
 * The netconsole datagrams a lab guest (Debian's 6.1 kernel under QEMU, {@code
 * lab/live/live-guest.sh}) sent to the host over QEMU user networking while it crashed (sysrq-c,
 * {@code kernel.panic=1}), one plain and one extended target, as the script's tap recorded them in
 * arrival order, with the guest's console log of the same boot.
 */
public final class LiveGuestTraffic {
  /** One recorded datagram: whether it went to the extended target, and its bytes. */
  private record Sent(boolean extended, byte[] payload) {}

  private final List<Sent> datagrams;

  private LiveGuestTraffic(List<Sent> datagrams) {
    this.datagrams = datagrams;
  }

  private static Path resource(String name) {
    try {
      return Path.of(LiveGuestTraffic.class.getResource("/netconsole/live-guest/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The recorded datagrams ({@code datagrams.txt}: target port, base64) and targets. */
  public static LiveGuestTraffic load() throws IOException {
    Map<String, String> targets = new LinkedHashMap<>();
    for (String l : Files.readAllLines(resource("ports.txt"))) {
      String[] f = l.split(" ");
      targets.put(f[1], f[0]);
    }
    List<Sent> out = new ArrayList<>();
    for (String l : Files.readAllLines(resource("datagrams.txt"))) {
      String[] d = l.split(" ", 2);
      out.add(new Sent("extended".equals(targets.get(d[0])), Base64.getDecoder().decode(d[1])));
    }
    return new LiveGuestTraffic(out);
  }

  /** The signature {@code ktriage analyze} gives the guest's console log of the crashing boot. */
  public static String consoleSignature() throws IOException {
    return Objects.requireNonNull(
        new Analyzer()
            .analyze(Ingest.read(List.of(resource("console.log")), Strictness.LENIENT))
            .signature(),
        "no crash in the guest's console log");
  }

  /** How many records the extended target got (one a datagram, fragments aside). */
  public long extendedRecords() {
    return datagrams.stream().filter(Sent::extended).count();
  }

  /**
   * The highest printk sequence number of the extended target's records ({@code
   * <level>,<seq>,<usec>,<flags>;text}, kernel/printk/printk.c info_print_ext_header()).
   */
  public long lastExtendedSeq() {
    long last = -1;
    for (Sent s : datagrams) {
      if (s.extended()) {
        String text = new String(s.payload(), StandardCharsets.ISO_8859_1);
        last = Math.max(last, Long.parseLong(text.split(",", 3)[1]));
      }
    }
    return last;
  }

  /**
   * Sends the datagrams again, in their order, over loopback UDP to {@code port}, from one socket
   * per target (a receiver keys a stream by its sender's address and port, as the guest's two
   * targets had two source ports).
   */
  public void replayTo(int port) throws IOException, InterruptedException {
    try (DatagramSocket plain = new DatagramSocket();
        DatagramSocket extended = new DatagramSocket()) {
      int i = 0;
      for (Sent d : datagrams) {
        DatagramSocket s = d.extended() ? extended : plain;
        byte[] b = d.payload();
        s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
        if (++i % 64 == 0) {
          Thread.sleep(1);
        }
      }
    }
  }

  /**
   * Starts a receiver on loopback that ingests into {@code server}, replays the guest's datagrams
   * into it and waits until both targets' reports are delivered (or a minute has passed); the
   * caller closes the receiver.
   */
  public NetconsoleReceiver replayInto(CrashServer server) throws Exception {
    NetconsoleReceiver nc =
        NetconsoleReceiver.start(
            new NetconsoleReceiver.Config(
                "127.0.0.1", 0, Duration.ofMillis(500), Duration.ofSeconds(30), 100),
            new HttpReportSink(URI.create(server.url()), null));
    try {
      replayTo(nc.port());
      // well within the 30 s silence: the panic's "Rebooting in 1 seconds.." ends each report;
      // the receiver counts a delivery once the service's answer is back
      long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (nc.stats().delivered() < 2 && System.nanoTime() < until) {
        Thread.sleep(100);
      }
      return nc;
    } catch (Exception | Error e) {
      nc.close();
      throw e;
    }
  }
}
