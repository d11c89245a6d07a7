package org.ktriage.analysis.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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

  @Test
  void aWarnAtBootAnHourBeforeAnOopsIsAnIncidentOfItsOwn() throws Exception {
    Diagnosis d = analyzeText(JoinedLogs.warnAtBootOopsAt(3600));
    assertThat(d.boots()).isEqualTo(1);
    assertThat(d.failureClass()).isEqualTo(FailureClass.NULL_DEREF);
    assertThat(d.otherIncidents()).hasSize(1);
    Incident warn = d.otherIncidents().get(0);
    assertThat(warn.diagnosis().failureClass()).isEqualTo(FailureClass.WARNING);
    assertThat(warn.diagnosis().title()).startsWith("WARNING");
    assertThat(warn.timestampNanos()).isNotNull().isLessThan(1_000_000_000L);
    // counter-example: the same WARN two seconds before the oops is its first failure
    Diagnosis near = analyzeText(JoinedLogs.warnAtBootOopsAt(0));
    assertThat(near.otherIncidents()).isEmpty();
    assertThat(near.failureClass()).isEqualTo(FailureClass.WARNING);
  }
}
