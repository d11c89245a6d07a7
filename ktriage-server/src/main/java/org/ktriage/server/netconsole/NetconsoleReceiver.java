package org.ktriage.server.netconsole;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens for netconsole datagrams on a UDP port, keeps one {@link SenderStream} per sender address
 * and hands the reports they cut to a {@link ReportSink} on a sending thread of its own, so a slow
 * sink never stalls the socket. Bounded everywhere: datagrams are read into one 64 KiB buffer,
 * senders are capped (the least recently heard is forgotten first), each stream caps its context,
 * report and fragments, and the sink's queue is bounded (a report that finds it full is counted as
 * lost).
 */
public final class NetconsoleReceiver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NetconsoleReceiver.class);

  /**
   * How a receiver runs.
   *
   * @param host the address to listen on
   * @param port the UDP port (netconsole's default target port is 6666); 0 picks a free one
   * @param settle quiet time after a report's end before it is cut (a panic may follow)
   * @param silence quiet time after which an unfinished report is cut as PARTIAL
   * @param maxSenders senders tracked at once
   */
  public record Config(String host, int port, Duration settle, Duration silence, int maxSenders) {
    /** Defaults: settle 2 s, silence 30 s, 10 000 senders. */
    public static Config on(String host, int port) {
      return new Config(host, port, Duration.ofSeconds(2), Duration.ofSeconds(30), 10_000);
    }
  }

  /** A sender is forgotten after this long without a datagram (unless a report is open). */
  private static final long FORGET_NANOS = TimeUnit.MINUTES.toNanos(10);

  private final Config config;
  private final DatagramChannel channel;
  private final ReportSink sink;
  private final Map<SocketAddress, SenderStream> senders = new LinkedHashMap<>(16, 0.75f, true);
  private final ScheduledExecutorService sweeper;
  private final ThreadPoolExecutor sending;
  private final Thread receiving;
  private final AtomicLong datagrams = new AtomicLong();
  private final AtomicLong reports = new AtomicLong();
  private final AtomicLong partial = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();
  private long forgottenRecords;
  private long forgottenMissed;
  private long forgottenLines;
  private volatile boolean running = true;
  private java.util.concurrent.@Nullable ScheduledFuture<?> sweeping;

  private NetconsoleReceiver(Config config, DatagramChannel channel, ReportSink sink) {
    this.config = config;
    this.channel = channel;
    this.sink = sink;
    this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "netconsole-sweep"));
    this.sending =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1024),
            r -> daemon(r, "netconsole-send"));
    this.receiving = daemon(this::receive, "netconsole-receive");
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * Binds the port and starts receiving.
   *
   * @throws IOException when the port cannot be bound
   */
  public static NetconsoleReceiver start(Config config, ReportSink sink) throws IOException {
    DatagramChannel ch = DatagramChannel.open();
    try {
      // a burst (an oops of a few hundred lines from many hosts at once) waits in the kernel
      ch.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
      ch.bind(new InetSocketAddress(InetAddress.getByName(config.host()), config.port()));
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    NetconsoleReceiver r = new NetconsoleReceiver(config, ch, sink);
    r.receiving.start();
    long tick = Math.max(50, Math.min(500, config.settle().toMillis() / 4));
    r.sweeping = r.sweeper.scheduleWithFixedDelay(r::sweep, tick, tick, TimeUnit.MILLISECONDS);
    return r;
  }

  /** The UDP port it listens on. */
  public int port() {
    try {
      return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    } catch (IOException e) {
      return -1;
    }
  }

  private void receive() {
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    while (running) {
      SocketAddress from;
      try {
        buf.clear();
        from = channel.receive(buf);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        LOG.warn("netconsole: receive failed: {}", e.toString());
        continue;
      }
      if (from == null) {
        continue;
      }
      datagrams.incrementAndGet();
      buf.flip();
      Datagram d = Datagram.parse(buf.array(), buf.limit());
      long now = System.nanoTime();
      List<CutReport> cut;
      synchronized (this) {
        SenderStream s = senders.get(from);
        if (s == null) {
          s = new SenderStream(from.toString(), hostOf(from), now);
          senders.put(from, s);
          evict();
        }
        cut = s.take(d, now);
      }
      send(cut);
    }
  }

  /** The host name the service files a sender's reports under: its IP address. */
  static String hostOf(SocketAddress a) {
    if (a instanceof InetSocketAddress i && i.getAddress() != null) {
      String h = i.getAddress().getHostAddress();
      int zone = h.indexOf('%');
      h = zone >= 0 ? h.substring(0, zone) : h;
      return h.startsWith(":")
          ? "0" + h
          : h; // the service's host names start with a letter or digit
    }
    return "unknown";
  }

  private void evict() {
    while (senders.size() > config.maxSenders()) {
      var it = senders.entrySet().iterator();
      SenderStream s = it.next().getValue();
      it.remove();
      forget(s);
      LOG.warn("netconsole: more than {} senders; forgot {}", config.maxSenders(), s.sender);
    }
  }

  private void forget(SenderStream s) {
    forgottenRecords += s.records;
    forgottenMissed += s.missed;
    forgottenLines += s.lines;
  }

  private void sweep() {
    try {
      long now = System.nanoTime();
      List<CutReport> cut = new ArrayList<>();
      synchronized (this) {
        var it = senders.values().iterator();
        while (it.hasNext()) {
          SenderStream s = it.next();
          cut.addAll(s.sweep(now, config.settle().toNanos(), config.silence().toNanos()));
          if (!s.reportOpen() && now - s.lastPacketNanos > FORGET_NANOS) {
            forget(s);
            it.remove();
          }
        }
      }
      send(cut);
    } catch (RuntimeException e) {
      LOG.error("netconsole: sweep failed", e);
    }
  }

  private void send(List<CutReport> cut) {
    for (CutReport r : cut) {
      reports.incrementAndGet();
      if (r.partial()) {
        partial.incrementAndGet();
      }
      LOG.info(
          "netconsole: report from {} ({} lines, {}{})",
          r.sender(),
          r.log().chars().filter(c -> c == '\n').count(),
          r.why(),
          r.partial() ? ", PARTIAL" : "");
      try {
        sending.execute(() -> deliver(r));
      } catch (RejectedExecutionException e) {
        lost.incrementAndGet();
        LOG.warn("netconsole: report from {} lost: the sending queue is full", r.sender());
      }
    }
  }

  private void deliver(CutReport r) {
    try {
      sink.submit(r);
      delivered.incrementAndGet();
    } catch (InterruptedException e) {
      lost.incrementAndGet();
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      lost.incrementAndGet();
      LOG.warn("netconsole: report from {} not ingested: {}", r.sender(), e.toString());
    }
  }

  /** What it has seen so far. */
  public synchronized ReceiverStats stats() {
    long records = forgottenRecords;
    long missed = forgottenMissed;
    long lines = forgottenLines;
    for (SenderStream s : senders.values()) {
      records += s.records;
      missed += s.missed;
      lines += s.lines;
    }
    return new ReceiverStats(
        datagrams.get(),
        records,
        missed,
        lines,
        reports.get(),
        partial.get(),
        delivered.get(),
        lost.get());
  }

  /** Per-sender counts, busiest first: sender, records, missed. */
  public synchronized List<String> senderSummary() {
    return senders.values().stream()
        .sorted(Comparator.comparingLong((SenderStream s) -> s.records).reversed())
        .map(s -> s.sender + " records=" + s.records + " missed=" + s.missed + " lines=" + s.lines)
        .toList();
  }

  /** Stops receiving; cuts open reports as PARTIAL and gives the sink 10 s to take them. */
  @Override
  public void close() {
    running = false;
    try {
      channel.close();
    } catch (IOException e) {
      LOG.warn("netconsole: close failed: {}", e.toString());
    }
    if (sweeping != null) {
      sweeping.cancel(false);
    }
    sweeper.shutdownNow();
    List<CutReport> cut = new ArrayList<>();
    synchronized (this) {
      for (SenderStream s : senders.values()) {
        cut.addAll(s.stop());
      }
    }
    send(cut);
    sending.shutdown();
    try {
      if (!sending.awaitTermination(10, TimeUnit.SECONDS)) {
        sending.shutdownNow();
      }
      receiving.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
