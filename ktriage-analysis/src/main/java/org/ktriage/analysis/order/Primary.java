package org.ktriage.analysis.order;

import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.stack.FaultSite;
import org.ktriage.model.AddressKind;
import org.ktriage.model.ContextKind;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.FailureClass;
import org.ktriage.model.FaultingInstruction;
import org.ktriage.model.Frame;
import org.ktriage.model.PrimaryFailure;
import org.ktriage.model.SourceSpan;
import org.ktriage.model.kind.CloneSuffixes;

/**
 * The primary failure chosen by {@link PrimaryChoice} with what it was read from. Built with {@link
 * #of}: a class, then the parts that are known.
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
   * kernel text (or read from a crash session's {@code dis} line), when this failure is that
   * report's fault (not a caller blamed above it).
   */
  public @Nullable FaultingInstruction instruction() {
    ReportView v = report;
    FaultSite s = site;
    if (v == null) {
      // a crash session without a log: the instruction its dis line shows at this site's RIP
      // (any depth: the line names the frame's own address), unless a caller is blamed
      return s == null || !java.util.Objects.equals(offset, s.frame().offset())
          ? null
          : s.frame().instruction();
    }
    if (s != null && s.depth() != 0) {
      return null;
    }
    return v.oops().faultingInstruction();
  }

  /**
   * This primary named as kallsyms printed it: when its function is one the compiler inlined and
   * only a symbolized trace names ({@link InlinedCallers}), the symbol that holds it; the name
   * reports of the same bug share with or without symbolization.
   *
   * @param facts the facts this primary was chosen from
   */
  public Primary asPrinted(CrashFacts facts) {
    return InlinedCallers.asPrinted(this, facts);
  }

  /** {@code function+0xoff}, or the function, or "unknown". */
  public String where() {
    if (function == null) {
      return "unknown";
    }
    return offset == null ? function : function + "+" + offset;
  }

  /** A builder for a primary failure of this class (context UNKNOWN until set). */
  public static Builder of(FailureClass failureClass) {
    return new Builder(failureClass);
  }

  /** This primary with another fault address (all three null: no address). */
  public Primary withAddress(
      @Nullable Long address, @Nullable AddressKind kind, @Nullable String register) {
    return new Primary(
        failureClass,
        site,
        report,
        cpu,
        context,
        function,
        offset,
        module,
        address,
        kind,
        register,
        source);
  }

  /** This primary blaming another function (a frame read from the report's text). */
  public Primary withFrame(Frame frame) {
    return new Primary(
        failureClass,
        site,
        report,
        cpu,
        context,
        CloneSuffixes.strip(frame.function()),
        frame.offset(),
        frame.module(),
        address,
        addressKind,
        addressRegister,
        source);
  }

  /** Collects the parts of a {@link Primary}; unset parts stay null. */
  public static final class Builder {
    private final FailureClass failureClass;
    private @Nullable FaultSite site;
    private @Nullable ReportView report;
    private @Nullable Integer cpu;
    private ContextKind context = ContextKind.UNKNOWN;
    private @Nullable String function;
    private @Nullable String offset;
    private @Nullable String module;
    private @Nullable Long address;
    private @Nullable AddressKind addressKind;
    private @Nullable String addressRegister;
    private @Nullable SourceSpan source;

    private Builder(FailureClass failureClass) {
      this.failureClass = failureClass;
    }

    /** The fault site and report it was read from. */
    public Builder from(@Nullable FaultSite site, @Nullable ReportView report) {
      this.site = site;
      this.report = report;
      return this;
    }

    /** The CPU and the context of the failing code. */
    public Builder on(@Nullable Integer cpu, ContextKind context) {
      this.cpu = cpu;
      this.context = context;
      return this;
    }

    /**
     * The failing function (named as in the source: compiler clone suffixes such as {@code .isra.0}
     * dropped, {@link CloneSuffixes}), its offset and module.
     */
    public Builder at(@Nullable String function, @Nullable String offset, @Nullable String module) {
      this.function = function == null ? null : CloneSuffixes.strip(function);
      this.offset = offset;
      this.module = module;
      return this;
    }

    /** The failing function taken from a call-trace frame (nothing when the frame is null). */
    public Builder at(@Nullable Frame frame) {
      return frame == null ? this : at(frame.function(), frame.offset(), frame.module());
    }

    /** The failing function taken from a saved exception frame. */
    public Builder at(ExceptionFrame frame) {
      return at(frame.function(), frame.offset(), frame.module());
    }

    /** The fault address, its class and the register it was read from when not printed. */
    public Builder address(
        @Nullable Long address, @Nullable AddressKind kind, @Nullable String register) {
      this.address = address;
      this.addressKind = kind;
      this.addressRegister = register;
      return this;
    }

    /** The line it was read from. */
    public Builder source(@Nullable SourceSpan source) {
      this.source = source;
      return this;
    }

    /** The primary failure. */
    public Primary build() {
      return new Primary(
          failureClass,
          site,
          report,
          cpu,
          context,
          function,
          offset,
          module,
          address,
          addressKind,
          addressRegister,
          source);
    }
  }
}
