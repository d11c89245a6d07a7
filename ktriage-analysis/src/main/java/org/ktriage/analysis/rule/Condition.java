package org.ktriage.analysis.rule;

import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@code when:} block of a data rule; every present predicate must hold (lists mean "any of").
 *
 * @param classes primary failure class ids
 * @param anyClasses class ids of the primary, the trigger or any report
 * @param triggers trigger class ids
 * @param contexts context ids of the primary failure
 * @param log patterns, one of which must match a log line ({@code {{FUNC}}}/{@code {{ADDR}}}
 *     expanded)
 * @param frames patterns, one of which must match a function of the primary's stack (trace and
 *     exception frames)
 * @param addressKinds address-kind ids of the primary's fault address
 * @param registerKinds address-kind ids one register of the primary's exception frame must have
 * @param taint taint letters, one of which must be set
 * @param module {@code in-trace} (a module frame on the primary's stack) or {@code out-of-tree} (an
 *     O/P/E-tainted module there)
 * @param not a block that must not hold
 */
public record Condition(
    List<String> classes,
    List<String> anyClasses,
    List<String> triggers,
    List<String> contexts,
    List<Pattern> log,
    List<Pattern> frames,
    List<String> addressKinds,
    List<String> registerKinds,
    @Nullable String taint,
    @Nullable String module,
    @Nullable Condition not) {

  public Condition {
    classes = List.copyOf(classes);
    anyClasses = List.copyOf(anyClasses);
    triggers = List.copyOf(triggers);
    contexts = List.copyOf(contexts);
    log = List.copyOf(log);
    frames = List.copyOf(frames);
    addressKinds = List.copyOf(addressKinds);
    registerKinds = List.copyOf(registerKinds);
  }
}
