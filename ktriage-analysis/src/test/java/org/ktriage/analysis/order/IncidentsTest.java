package org.ktriage.analysis.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ktriage.analysis.Analyzer;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Incident;

/**
 * A log split into boots and independent incidents, on real logs: the lab's kdump console logs (the
 * crashed kernel's boot, then the capture kernel's own), syzkaller logs whose many reports are one
 * crash's cascade, and real crash logs concatenated or re-timed as a capture holding both would
 * show them.
 */
class IncidentsTest {

  private static final Pattern STAMP = Pattern.compile("^\\[ *(\\d+)\\.(\\d{6})\\]");

  private static Diagnosis analyze(String relative) throws Exception {
    return new Analyzer().analyze(Inputs.report(relative));
  }

  private static Diagnosis analyzeText(String text) throws Exception {
    return new Analyzer().analyze(Inputs.factsOfText(text).report());
  }

  @Test
  void aKdumpConsoleLogIsTheCrashedBootThenTheCaptureKernelsOwn() throws Exception {
    for (String scenario : List.of("soft-lockup-kdump", "timer-after-unload-kdump")) {
      String log = "lab/out/" + scenario + "/console.log";
      CrashFacts f = Inputs.facts(log);
      Boots boots = CauseLinks.bootsOf(f.reports(), f.logLines());
      assertThat(boots.count()).as(log).isEqualTo(2);
      assertThat(boots.captureKernel(1)).as(log).isTrue();
      assertThat(boots.captureKernel(0)).as(log).isFalse();
      Diagnosis d = new Analyzer().analyze(f.report());
      assertThat(d.boots()).as(log).isEqualTo(2);
      assertThat(d.crashBoot()).as(log).isZero();
      assertThat(d.otherIncidents()).as(log).isEmpty();
    }
    // counter-example: the same scenario's log without kdump is one boot
    assertThat(analyze("lab/out/soft-lockup/console.log").boots()).isEqualTo(1);
  }

  @Test
  void aCascadeOfReportsIsOneIncident() throws Exception {
    // syzkaller logs: the same paging request reported 14 times in 1.4 s; a page fault and the
    // general protection faults of the CPUs that ran into the state it left, then panic
    for (String f : List.of("329", "324", "326", "479", "523")) {
      Diagnosis d = analyze("corpus/syzkaller/report/" + f);
      assertThat(d.report().oopses().size()).as(f).isGreaterThanOrEqualTo(2);
      assertThat(d.otherIncidents()).as(f).isEmpty();
    }
    // ABRT's example: ten WARNs of one kworker tearing radeon down, within 8 ms
    Diagnosis abrt = analyze("corpus/abrt/examples/10_oopses.test");
    assertThat(abrt.report().oopses()).hasSizeGreaterThanOrEqualTo(10);
    assertThat(abrt.otherIncidents()).isEmpty();
  }

  @Test
  void twoConcatenatedCapturesAreTwoIncidents() throws Exception {
    // a BUG_ON crash's console log, then the next boot's NULL dereference
    String bugOn = Inputs.text("lab/out/bug-on/console.log");
    String nullDeref = Inputs.text("lab/out/null-deref/console.log");
    Diagnosis alone0 = analyze("lab/out/bug-on/console.log");
    Diagnosis alone1 = analyze("lab/out/null-deref/console.log");
    Diagnosis d = analyzeText(bugOn + "\n" + nullDeref);

    assertThat(d.boots()).isEqualTo(2);
    assertThat(d.crashBoot()).isEqualTo(1);
    assertThat(d.failureClass()).isEqualTo(FailureClass.NULL_DEREF);
    assertThat(d.title()).isEqualTo(alone1.title());
    assertThat(d.otherIncidents()).hasSize(1);
    Incident other = d.otherIncidents().get(0);
    assertThat(other.boot()).isZero();
    assertThat(other.diagnosis().failureClass()).isEqualTo(alone0.failureClass());
    assertThat(other.diagnosis().title()).isEqualTo(alone0.title());
    assertThat(other.diagnosis().signature()).isEqualTo(alone0.signature());
    // the crash's diagnosis is the one the log alone gets: the other boot adds nothing to it
    assertThat(d.signature()).isEqualTo(alone1.signature());
    assertThat(d.chain())
        .extracting(e -> e.event() + " " + e.where())
        .isEqualTo(alone1.chain().stream().map(e -> e.event() + " " + e.where()).toList());
  }

  /** The radeon WARN (CPU 0, kworker/0:1) of ABRT's examples, up to its end-of-trace line. */
  private static List<String> radeonWarn() throws Exception {
    List<String> out = new ArrayList<>();
    for (String l : Inputs.text("corpus/abrt/examples/1_oops.test").split("\n", -1)) {
      out.add(l);
      if (l.contains("---[ end trace")) {
        break;
      }
    }
    return out;
  }

  private static String retimed(String line, long seconds) {
    Matcher m = STAMP.matcher(line);
    if (!m.find()) {
      return line;
    }
    return String.format("[%5d.%s]", seconds, m.group(2)) + line.substring(m.end());
  }

  /** The lab NULL dereference with the WARN printed at second 0 and the oops at {@code t}. */
  private static String warnAtBootOopsAt(long oopsSeconds) throws Exception {
    List<String> lab =
        new ArrayList<>(List.of(Inputs.text("lab/out/null-deref/console.log").split("\n", -1)));
    int oops = 0;
    while (!lab.get(oops).contains("BUG: kernel NULL pointer dereference")) {
      oops++;
    }
    List<String> out = new ArrayList<>(lab.subList(0, 200));
    for (String l : radeonWarn()) {
      out.add(retimed(l, 0));
    }
    out.addAll(lab.subList(200, oops));
    for (String l : lab.subList(oops, lab.size())) {
      out.add(retimed(l, oopsSeconds + 2));
    }
    return String.join("\n", out);
  }

  @Test
  void aWarnAtBootAnHourBeforeAnOopsIsAnIncidentOfItsOwn() throws Exception {
    Diagnosis d = analyzeText(warnAtBootOopsAt(3600));
    assertThat(d.boots()).isEqualTo(1);
    assertThat(d.failureClass()).isEqualTo(FailureClass.NULL_DEREF);
    assertThat(d.otherIncidents()).hasSize(1);
    Incident warn = d.otherIncidents().get(0);
    assertThat(warn.diagnosis().failureClass()).isEqualTo(FailureClass.WARNING);
    assertThat(warn.diagnosis().title()).startsWith("WARNING");
    assertThat(warn.timestampNanos()).isNotNull().isLessThan(1_000_000_000L);
    // counter-example: the same WARN two seconds before the oops is its first failure
    Diagnosis near = analyzeText(warnAtBootOopsAt(0));
    assertThat(near.otherIncidents()).isEmpty();
    assertThat(near.failureClass()).isEqualTo(FailureClass.WARNING);
  }
}
