package org.ktriage.analysis.order;

import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.stack.FaultSite;
import org.ktriage.model.AddressKind;
import org.ktriage.model.ContextKind;
import org.ktriage.model.FailureClass;
import org.ktriage.model.FaultingInstruction;
import org.ktriage.model.PrimaryFailure;
import org.ktriage.model.SourceSpan;

/**
 * The primary failure chosen by {@link CauseOrder} with what it was read from.
 *
 * @param failureClass class of the failure
 * @param site the fault site, when the failure is a saved exception frame
 * @param report the report it was printed in, or null (crash session without a log)
 * @param cpu CPU, or null
 * @param context context of the failing code
 * @param function failing function, or null
 * @param offset hex offset, or null
 * @param module module of the function, or null
 * @param address fault address, or null
 * @param addressKind class of the address, or null
 * @param addressRegister register the address was inferred from when no CR2 was printed, or null
 * @param source the line it was read from, or null
 */
public record Primary(
    FailureClass failureClass,
    @Nullable FaultSite site,
    @Nullable ReportView report,
    @Nullable Integer cpu,
    ContextKind context,
    @Nullable String function,
    @Nullable String offset,
    @Nullable String module,
    @Nullable Long address,
    @Nullable AddressKind addressKind,
    @Nullable String addressRegister,
    @Nullable SourceSpan source) {

  /** The model record for the JSON contract. */
  public PrimaryFailure toModel() {
    return new PrimaryFailure(
        failureClass,
        function,
        offset,
        module,
        context,
        cpu,
        address,
        addressKind,
        source,
        instruction());
  }

  /**
   * The faulting instruction decoded by ingest from the report's {@code Code:} bytes or the dump's
   * kernel text, when this failure is that report's fault (not a caller blamed above it).
   */
  public @Nullable FaultingInstruction instruction() {
    ReportView v = report;
    FaultSite s = site;
    if (v == null || (s != null && s.depth() != 0)) {
      return null;
    }
    return v.oops().faultingInstruction();
  }

  /** {@code function+0xoff}, or the function, or "unknown". */
  public String where() {
    if (function == null) {
      return "unknown";
    }
    return offset == null ? function : function + "+" + offset;
  }
}
