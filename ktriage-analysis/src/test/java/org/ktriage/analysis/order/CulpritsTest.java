package org.ktriage.analysis.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.ktriage.model.CpuState;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Frame;

/** Which frame is to blame, on the seed's crash session and the lab's console logs. */
class CulpritsTest {

  @Test
  void panicFramesAreTheThreeWaysIntoPanic() {
    assertThat(Culprits.isPanicFrame("panic")).isTrue();
    assertThat(Culprits.isPanicFrame("vpanic")).isTrue();
    assertThat(Culprits.isPanicFrame("nmi_panic")).isTrue();
    assertThat(Culprits.isPanicFrame("panic_smp_self_stop")).isFalse();
    assertThat(Culprits.isPanicFrame("check_panic_on_warn")).isFalse();
  }

  @Test
  void theSeedsPanicWasCalledByTheHardLockupWatchdogNotByNmiPanic() throws Exception {
    CrashFacts f = Inputs.facts("seed/crash-session.txt");
    CpuState cpu = Objects.requireNonNull(f.panicCpu());
    List<Frame> frames = Culprits.framesOf(cpu);
    int at = Culprits.panicIndex(frames);
    assertThat(frames.get(at).function()).isEqualTo("panic");
    // nmi_panic sits between panic and the watchdog: it decides, it does not fail
    assertThat(frames.get(at + 1).function()).isEqualTo("nmi_panic");
    Frame caller = Objects.requireNonNull(Culprits.panicCaller(cpu));
    assertThat(caller.function()).isEqualTo("watchdog_overflow_callback");
  }

  @Test
  void anExplicitPanicBlamesTheModuleFunctionThatCalledIt() throws Exception {
    CrashFacts f = Inputs.facts("lab/out/panic-call/console.log");
    ReportView v = f.reports().get(f.reports().size() - 1);
    Frame culprit = Objects.requireNonNull(Culprits.culprit(Culprits.framesOf(v.oops())));
    assertThat(culprit.function()).isEqualTo("lab_panic_now");
    assertThat(culprit.module()).isEqualTo("lab_panic");
  }

  @Test
  void onlyCheckerAndWaitClassesHandTheBlameToTheCaller() throws Exception {
    CrashFacts f = Inputs.facts("lab/out/panic-call/console.log");
    List<Frame> frames = Culprits.framesOf(f.reports().get(f.reports().size() - 1).oops());
    // a list-debugging check (lib/list_debug.c) is blamed on its caller ...
    assertThat(Culprits.blamedCaller(FailureClass.LIST_CORRUPTION, "__list_add_valid", frames))
        .isNotNull();
    // ... a NULL dereference in the same function is that function's own
    assertThat(Culprits.blamedCaller(FailureClass.NULL_DEREF, "__list_add_valid", frames)).isNull();
  }
}
