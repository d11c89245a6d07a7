package org.ktriage.analysis;

import org.ktriage.model.Diagnosis;
import org.ktriage.model.Finding;

/** Test helper: a compact dump of a diagnosis for failure messages. */
final class DebugPrint {

  private DebugPrint() {}

  static String of(Diagnosis d) {
    StringBuilder sb = new StringBuilder();
    sb.append("class=").append(d.failureClass().id()).append(" trigger=").append(d.trigger().id());
    if (d.primary() != null) {
      var p = d.primary();
      sb.append(" primary=")
          .append(p.function())
          .append('+')
          .append(p.offset())
          .append(" [")
          .append(p.module())
          .append("] ctx=")
          .append(p.context().id())
          .append(" cpu=")
          .append(p.cpu())
          .append(" addr=")
          .append(p.address() == null ? null : Long.toHexString(p.address()))
          .append(" kind=")
          .append(p.addressKind() == null ? null : p.addressKind().id());
    }
    sb.append("\n chain:");
    d.chain()
        .forEach(
            c ->
                sb.append(" -> ")
                    .append(c.event())
                    .append('@')
                    .append(c.where())
                    .append('/')
                    .append(c.context()));
    for (Finding f : d.findings()) {
      sb.append("\n  ")
          .append(f.rule())
          .append(' ')
          .append(f.severity().id())
          .append(' ')
          .append(f.confidence())
          .append(": ")
          .append(f.summary());
    }
    d.ruleFailures()
        .forEach(r -> sb.append("\n  FAILED ").append(r.rule()).append(": ").append(r.error()));
    return sb.toString();
  }
}
