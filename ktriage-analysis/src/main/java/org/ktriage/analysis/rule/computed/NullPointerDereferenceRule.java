package org.ktriage.analysis.rule.computed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.order.CrashFacts;
import org.ktriage.analysis.order.Primary;
import org.ktriage.analysis.rule.ComputedRule;
import org.ktriage.analysis.rule.Hit;
import org.ktriage.model.AddressKind;
import org.ktriage.model.Evidence;
import org.ktriage.model.FailureClass;
import org.ktriage.model.LogRecord;

/**
 * A kernel access to the NULL page: the fault address is the member offset ({@code NULL + 0x48}),
 * the error code tells read, write or instruction fetch (playbook §1).
 */
public final class NullPointerDereferenceRule implements ComputedRule {

  private static final Pattern ACCESS =
      Pattern.compile("#PF: (supervisor|user) (read access|write access|instruction fetch)");
  private static final Pattern OLD_ERROR = Pattern.compile("^(?:Oops: )?Oops: ([0-9a-f]{4})");
  private static final Pattern KASAN_RANGE =
      Pattern.compile("KASAN: null-ptr-deref in range \\[(0x[0-9a-f]+)-(0x[0-9a-f]+)\\]");

  @Override
  public String id() {
    return "null-pointer-dereference";
  }

  @Override
  public @Nullable Hit evaluate(CrashFacts f) {
    Primary p = f.primary();
    if (p == null) {
      return null;
    }
    boolean nullClass = p.failureClass() == FailureClass.NULL_DEREF;
    boolean nullAddress = p.addressKind() == AddressKind.NULL_PAGE;
    if (!nullClass && !(nullAddress && p.failureClass() == FailureClass.PAGE_FAULT)) {
      return null;
    }
    List<Evidence> ev = new ArrayList<>();
    Map<String, String> values = new HashMap<>();
    List<String> missing = new ArrayList<>();
    String access = null;
    String offset = null;
    if (p.report() != null) {
      ev.add(new Evidence(p.report().oops().headline().strip(), p.report().oops().span()));
      for (LogRecord l : p.report().oops().lines()) {
        Matcher m = ACCESS.matcher(l.text());
        if (m.find() && access == null) {
          access = m.group(2).replace(" access", "");
          ev.add(new Evidence(l.text().strip(), l.source()));
        }
        Matcher o = OLD_ERROR.matcher(l.text().strip());
        if (o.find() && access == null) {
          int code = Integer.parseInt(o.group(1), 16);
          access = (code & 0x10) != 0 ? "instruction fetch" : (code & 0x2) != 0 ? "write" : "read";
        }
        Matcher k = KASAN_RANGE.matcher(l.text());
        if (k.find()) {
          offset = k.group(1) + "-" + k.group(2);
          ev.add(new Evidence(l.text().strip(), l.source()));
        }
      }
    }
    if (offset == null && p.address() != null && p.addressKind() == AddressKind.NULL_PAGE) {
      offset = "0x" + Long.toHexString(p.address());
    }
    if (offset == null) {
      offset = "an unknown offset";
      missing.add("the fault address (CR2) that gives the member offset");
    }
    if (access == null) {
      access = "access";
    }
    values.put("offset", offset);
    values.put("access", access);
    boolean fnPointer = "instruction fetch".equals(access) && "0x0".equals(offset);
    values.put(
        "meaning",
        fnPointer
            ? "a call through a NULL function pointer; the caller is the first trace frame"
            : "a member at offset " + offset + " of a struct reached through a NULL pointer");
    Evidence insn = Instructions.evidence(p);
    if (insn != null) {
      ev.add(insn);
    }
    Instructions.Pointer ptr = Instructions.pointer(p);
    if (ptr != null && ptr.explainsFault()) {
      values.put("register", ptr.register());
    }
    if (p.function() != null) {
      ev.add(
          new Evidence(
              "RIP " + p.where() + (p.module() == null ? "" : " [" + p.module() + "]"),
              p.site() == null ? p.source() : p.site().frame().source()));
    }
    return new Hit(values, ev, 0.85, missing);
  }
}
