package org.ktriage.ingest.text;

import java.util.List;
import org.ktriage.model.Oops;
import org.ktriage.model.StackSegment;

/** Test helper: a compact text view of parsed reports for failure messages. */
final class OopsDump {
  private OopsDump() {}

  static String of(List<Oops> oopses) {
    StringBuilder sb = new StringBuilder();
    for (Oops o : oopses) {
      sb.append("#").append(o.index()).append(" ").append(o.headline()).append('\n');
      sb.append("  die=").append(o.dieHeader()).append(" cpu=").append(o.cpu());
      sb.append(" pid=").append(o.pid()).append(" comm=").append(o.comm());
      sb.append(" taint=").append(o.taint()).append(" rel=").append(o.release());
      sb.append(" fault=")
          .append(o.faultAddress() == null ? null : Long.toHexString(o.faultAddress()));
      sb.append(" complete=").append(o.complete()).append(" panic=").append(o.panicMessage());
      sb.append(" lines=").append(o.lines().size()).append(" span=").append(o.span()).append('\n');
      sb.append("  ip=")
          .append(
              o.ip() == null ? null : o.ip().where() + " " + o.ip().registers().values().keySet());
      sb.append(" mods=")
          .append(o.modules().size())
          .append(" lastUnloaded=")
          .append(o.lastUnloaded());
      sb.append(" hw=").append(o.hardware()).append(" wq=").append(o.workqueue()).append('\n');
      for (StackSegment s : o.trace()) {
        sb.append("  seg ").append(s.context()).append(" <").append(s.marker()).append("> ");
        s.frames().forEach(f -> sb.append(f.reliable() ? "" : "?").append(f.where()).append(' '));
        if (s.exception() != null) {
          sb.append(" EXC ").append(s.exception().where());
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }
}
