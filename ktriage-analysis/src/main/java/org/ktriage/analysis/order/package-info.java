/**
 * Cause ordering: primary failure, trigger and the cause chain, one part per question. {@code
 * CauseOrder} runs them: {@code PrimaryChoice} (first failure on its own evidence, with {@code
 * FirstReport} for the earliest onset inside the crash's incident), {@code AcrossCpus} and {@code
 * AcrossTasks} (blame handed to what the victim waited for), {@code TriggerChoice}, {@code
 * CauseChain}, {@code FaultAddress}, {@code Culprits} (which frame is to blame), {@code Detectors};
 * {@code CauseLinks} and {@code Boots} decide which earlier reports belong to the crash.
 */
@NullMarked
package org.ktriage.analysis.order;

import org.jspecify.annotations.NullMarked;
