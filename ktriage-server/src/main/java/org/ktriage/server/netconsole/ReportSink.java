package org.ktriage.server.netconsole;

/** Where cut reports go (the service's ingest); called on the receiver's own sending thread. */
@FunctionalInterface
public interface ReportSink {
  /** Takes one report; an exception is logged and the report counted as lost. */
  void submit(CutReport report) throws Exception;
}
