// Load generator for the netconsole receiver of `ktriage serve --netconsole-port` (run by
// bench/netconsole-load.sh in Java's single-file source mode against the built ktriage.jar).
//
// Starts a NetconsoleReceiver on loopback with a sink that only counts, then, for each target rate,
// sends extended-netconsole records ("<level>,<seq>,<usec>,-;<text>", one per datagram, as
// drivers/net/netconsole.c write_ext_msg() sends them) from several sender sockets for a few
// seconds, the texts taken from a real lab boot log. Afterwards it reads the receiver's counts:
// records received, records missed as counted from gaps in each sender's sequence numbers (what a
// receiver can know), and sent minus received (the truth, which also counts a lost tail).
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.ktriage.server.netconsole.NetconsoleReceiver;
import org.ktriage.server.netconsole.ReceiverStats;

public class NetconsoleLoad {
  public static void main(String[] args) throws Exception {
    Path log = Path.of(args.length > 0 ? args[0] : "../shared/lab/out/null-deref/console.log");
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int senders = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    long[] rates =
        args.length > 3
            ? java.util.Arrays.stream(args[3].split(",")).mapToLong(Long::parseLong).toArray()
            : new long[] {10_000, 25_000, 50_000, 100_000, 200_000, 400_000};
    List<String> texts = new ArrayList<>();
    for (String l : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
      // boot messages only: the load is plain traffic, not crash reports
      if (l.startsWith("[") && texts.size() < 300) {
        texts.add(l.replaceFirst("^\\[\\s*\\d+\\.\\d+\\] ", ""));
      }
    }
    AtomicLong cut = new AtomicLong();
    try (NetconsoleReceiver rx =
        NetconsoleReceiver.start(
            new NetconsoleReceiver.Config(
                "127.0.0.1", 0, Duration.ofSeconds(2), Duration.ofSeconds(30), 10_000),
            r -> cut.incrementAndGet())) {
      System.out.printf(
          "receiver on udp 127.0.0.1:%d; %d senders, %d s per step, %d distinct texts%n",
          rx.port(), senders, seconds, texts.size());
      System.out.printf(
          "%10s %10s %10s %10s %12s %12s %8s%n",
          "target/s", "sent/s", "sent", "received", "missed(seq)", "lost(truth)", "loss%");
      long best = 0;
      for (long rate : rates) {
        ReceiverStats before = rx.stats();
        long sent = blast(rx.port(), texts, rate, seconds, senders);
        double secs = seconds;
        // let the receiver drain its socket buffer: wait until its count stops moving
        ReceiverStats after = rx.stats();
        for (int still = 0; still < 4; ) {
          Thread.sleep(250);
          ReceiverStats now = rx.stats();
          still = now.records() == after.records() ? still + 1 : 0;
          after = now;
        }
        long received = after.records() - before.records();
        long missed = after.missed() - before.missed();
        long lost = sent - received;
        System.out.printf(
            "%10d %10.0f %10d %10d %12d %12d %8.3f%n",
            rate, sent / secs, sent, received, missed, lost, 100.0 * lost / Math.max(1, sent));
        if (lost == 0) {
          best = Math.max(best, (long) (sent / secs));
        }
      }
      System.out.printf("sustained without loss: %d records/s (%d reports cut)%n", best, cut.get());
    }
  }

  /** Sends at `rate` records per second in total for `seconds`; returns how many were sent. */
  static long blast(int port, List<String> texts, long rate, int seconds, int senders)
      throws Exception {
    InetAddress lo = InetAddress.getLoopbackAddress();
    List<Thread> threads = new ArrayList<>();
    AtomicLong sent = new AtomicLong();
    for (int s = 0; s < senders; s++) {
      final int id = s;
      Thread t =
          new Thread(
              () -> {
                try (DatagramSocket sock = new DatagramSocket()) {
                  long perSender = rate / senders;
                  long start = System.nanoTime();
                  long end = start + Duration.ofSeconds(seconds).toNanos();
                  long seq = 0;
                  byte[] buf;
                  while (true) {
                    long now = System.nanoTime();
                    if (now >= end) {
                      break;
                    }
                    long due = (now - start) * perSender / 1_000_000_000L;
                    if (seq >= due) {
                      // paced by sleeping, not spinning: the receiver shares the CPUs
                      java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                      continue;
                    }
                    String text = texts.get((int) ((seq + id) % texts.size()));
                    buf =
                        (6 + "," + seq + "," + (now - start) / 1000 + ",-;" + text + "\n")
                            .getBytes(StandardCharsets.ISO_8859_1);
                    sock.send(new DatagramPacket(buf, buf.length, lo, port));
                    seq++;
                  }
                  sent.addAndGet(seq);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    return sent.get();
  }
}
