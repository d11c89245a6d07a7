package org.ktriage.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service's metrics for Prometheus ({@code GET /metrics}): reports ingested by outcome,
 * requests refused by status, diagnosis time, and ingests in flight (the queue).
 */
final class ServerMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter created;
  private final Counter duplicate;
  private final Timer diagnosis;
  private final AtomicInteger inFlight = new AtomicInteger();

  ServerMetrics() {
    created =
        Counter.builder("ktriage.reports.ingested")
            .description("reports posted, by outcome")
            .tag("outcome", "created")
            .register(registry);
    duplicate =
        Counter.builder("ktriage.reports.ingested")
            .description("reports posted, by outcome")
            .tag("outcome", "duplicate")
            .register(registry);
    diagnosis =
        Timer.builder("ktriage.diagnosis")
            .description("time to read and diagnose one uploaded report")
            .publishPercentiles(0.5, 0.95, 0.99)
            .register(registry);
    Gauge.builder("ktriage.ingest.in.flight", inFlight, AtomicInteger::get)
        .description("reports being read, diagnosed or stored now")
        .register(registry);
  }

  /**
   * Publishes the depth of the shared ingest queue (every node's accepted, undiagnosed uploads).
   */
  void queueDepth(java.util.function.DoubleSupplier depth) {
    Gauge.builder(
            "ktriage.ingest.queue.depth", depth, java.util.function.DoubleSupplier::getAsDouble)
        .description("accepted uploads waiting in the database queue, all nodes")
        .register(registry);
  }

  void ingested(boolean wasCreated) {
    (wasCreated ? created : duplicate).increment();
  }

  void refused(int status) {
    Counter.builder("ktriage.requests.refused")
        .description("requests answered with an error status")
        .tag("status", String.valueOf(status))
        .register(registry)
        .increment();
  }

  Timer diagnosis() {
    return diagnosis;
  }

  AtomicInteger inFlight() {
    return inFlight;
  }

  /** The Prometheus text exposition. */
  String scrape() {
    return registry.scrape();
  }
}
