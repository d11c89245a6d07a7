package org.ktriage.analysis;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Finding;
import org.ktriage.testkit.Shared;

/**
 * A kernel fault whose first line (the fault message) was lost, or whose program counter is not
 * kernel text, still shows the fault from what remains: the lines the arch's fault handler prints
 * before die() (arm64 mem_abort_decode/show_pte, x86 show_fault_oops), the die header's error code
 * and the program counter itself for an instruction fetch. Real syzkaller reports with the message
 * line taken out, as a paste cut above it would show them.
 */
class FaultMessageLostTest {

  /** The report's log without its first line holding {@code message}. */
  private static Diagnosis withoutMessage(String report, String message) throws Exception {
    String all =
        Files.readString(
            Shared.path("corpus/syzkaller/report/" + report), StandardCharsets.ISO_8859_1);
    String body = all.substring(all.indexOf("\n\n") + 2);
    int at = body.indexOf(message);
    assertThat(at).as("the report holds its fault message").isPositive();
    int start = body.lastIndexOf('\n', at) + 1;
    int end = body.indexOf('\n', at) + 1;
    String cut = body.substring(0, start) + body.substring(end);
    return new Analyzer().analyze(Reports.ingest("cut-" + report + ".txt", cut));
  }

  private static boolean fired(Diagnosis d, String rule) {
    return d.findings().stream().map(Finding::rule).anyMatch(rule::equals);
  }

  @Test
  void arm64DataAbortKeepsItsAddressFromTheWalkBeforeTheDieHeader() throws Exception {
    // report/536: "Mem abort info: … [dfffa00000000003] address between user and kernel address
    // ranges" then "Internal error: Oops: 96000004"
    Diagnosis d = withoutMessage("536", "Unable to handle kernel paging request");
    assertThat(d.failureClass()).isEqualTo(FailureClass.PAGE_FAULT);
    assertThat(requireNonNull(d.primary()).address()).isEqualTo(0xdfffa00000000003L);
    assertThat(fired(d, "bad-paging-request")).isTrue();
  }

  @Test
  void arm64FaultInsideALockdepWarningIsItsOwnReport() throws Exception {
    // report/655: the fault's abort decoding printed inside a lockdep warning's body
    Diagnosis d = withoutMessage("655", "Unable to handle kernel paging request");
    assertThat(requireNonNull(d.primary()).address()).isEqualTo(0x100000017L);
    assertThat(fired(d, "bad-paging-request")).isTrue();
  }

  @Test
  void x86InstructionFetchFaultsOnTheProgramCounter() throws Exception {
    // report/480: "#PF: supervisor instruction fetch in kernel mode", "RIP: 0010:0x86"
    Diagnosis d = withoutMessage("480", "BUG: kernel NULL pointer dereference");
    assertThat(d.failureClass()).isEqualTo(FailureClass.NULL_DEREF);
    assertThat(requireNonNull(d.primary()).address()).isEqualTo(0x86L);
    assertThat(fired(d, "null-pointer-dereference")).isTrue();
  }
}
