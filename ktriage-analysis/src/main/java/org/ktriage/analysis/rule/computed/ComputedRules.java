package org.ktriage.analysis.rule.computed;

import java.util.List;
import org.ktriage.analysis.rule.ComputedRule;

/** The registry of computed rules: one line each, sorted by id. */
public final class ComputedRules {

  private ComputedRules() {}

  /** Every computed rule, sorted by id. */
  public static final List<ComputedRule> ALL =
      List.of(
          new CallbackOfUnloadedModuleRule(),
          new CrossCpuStallRule(),
          new DoubleFreeRule(),
          new ExplicitPanicRule(),
          new GeneralProtectionFaultRule(),
          new HungTaskLockHolderRule(),
          new HungTaskRule(),
          new NestedFaultRule(),
          new NullPointerDereferenceRule(),
          new RecursiveSpinlockRule(),
          new StackOverflowRule(),
          new TimerOfUnloadedModuleRule(),
          new UseAfterFreePoisonRule());
}
