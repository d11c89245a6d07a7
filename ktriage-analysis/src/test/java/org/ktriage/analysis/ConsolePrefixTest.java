package org.ktriage.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.KernelInfo;
import org.ktriage.testkit.corpus.Case;
import org.ktriage.testkit.corpus.Corpora;

/**
 * A console line the machine printed before the report (a timestamped kernel line such as a console
 * driver's banner) is not part of the report: prefixed to every report of syzkaller's corpus, it
 * changes neither class, primary, title, signature, release, taint nor the CPU of any report read
 * without it. Benchmark fills and netconsole captures put such lines in front of reports.
 */
class ConsolePrefixTest {

  private static final List<String> PREFIXES =
      List.of(
          "[  101.234567] ktriage-host-7 10.0.0.7 02:00:00:00:00:07 console\n",
          "[    3.141592] random: crng init done\n",
          "<6>[ 12.5] usb 1-1: new high-speed USB device number 2 using ehci-pci\n");

  private static final String REFUSED = "refused";

  @Test
  void aKernelLookingLineInFrontNeverChangesTheDiagnosis() throws Exception {
    Shared.file("corpus");
    Path shared = Path.of(System.getProperty("ktriage.shared", "../../shared")).toAbsolutePath();
    List<Case> cases =
        new Corpora(shared, Path.of(".."))
            .syzkaller("syzkaller", List.of("report")).cases().stream()
                .filter(c -> c.text().length > 0)
                .toList();
    assertThat(cases).hasSizeGreaterThan(700);
    Analyzer analyzer = new Analyzer();
    List<String> changed = new ArrayList<>();
    int read = 0;
    for (Case c : cases) {
      String text = new String(c.text(), StandardCharsets.ISO_8859_1);
      String plain = summary(analyzer, text);
      if (plain.equals(REFUSED)) {
        // not kernel text without the line (a Go panic, SYZFATAL): the line makes it a kernel log
        continue;
      }
      read++;
      for (String prefix : PREFIXES) {
        String prefixed = summary(analyzer, prefix + text);
        if (!prefixed.equals(plain)) {
          changed.add(c.name() + " [" + prefix.strip() + "]\n  " + plain + "\n  " + prefixed);
        }
      }
    }
    assertThat(read).as("reports read without the line").isGreaterThan(700);
    assertThat(changed).as(String.join("\n", changed)).isEmpty();
  }

  private static String summary(Analyzer analyzer, String text) throws Exception {
    try {
      return summary(analyzer.analyze(Reports.ingest("console.log", text)));
    } catch (UnreadableInputException e) {
      return REFUSED;
    }
  }

  private static String summary(Diagnosis d) {
    KernelInfo k = d.report().kernel();
    var p = d.primary();
    Integer cpu = d.report().oopses().isEmpty() ? null : d.report().oopses().get(0).cpu();
    return "class="
        + d.failureClass().id()
        + " primary="
        + (p == null ? null : p.function())
        + " title="
        + d.title()
        + " sig="
        + d.signature()
        + " release="
        + k.release()
        + " taint="
        + k.taint()
        + " cpu="
        + cpu;
  }
}
