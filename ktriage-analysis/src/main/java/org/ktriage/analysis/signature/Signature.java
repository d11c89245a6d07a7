package org.ktriage.analysis.signature;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.CpuState;
import org.ktriage.model.CrashReport;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Frame;
import org.ktriage.model.Oops;
import org.ktriage.model.PrimaryFailure;
import org.ktriage.model.StackSegment;
import org.ktriage.model.kind.CloneSuffixes;
import org.ktriage.model.kind.ReportingFrames;

/**
 * A stable crash signature: 16 hex digits of a SHA-256 over the failure class family and the guilty
 * frame, the first function at or below the failing instruction that is not reporting, trap or
 * panic machinery.
 *
 * <p>It is computed from the model's frames, never from log text, so a console oops and the {@code
 * crash} {@code bt} of the same crash agree; addresses, offsets, PIDs, CPUs, timestamps, unreliable
 * {@code ?} frames and compiler suffixes ({@code .isra.0}, {@code .constprop.0}, {@code .cold},
 * {@code .part.N}) do not enter it. The module is reported but not hashed: {@code crash} prints
 * {@code [exception RIP: f+5]} without the {@code [module]} a console oops shows, and hashing it
 * would split one crash between its two forms.
 *
 * @param id 16 lower-case hex digits
 * @param failureClass the failure class hashed
 * @param frames the normalized guilty frame(s) hashed (empty when no frame is known)
 * @param module the module of the guilty frame when the report names it, else null
 */
public record Signature(
    String id, FailureClass failureClass, List<String> frames, @Nullable String module) {
  public Signature {
    frames = List.copyOf(frames);
  }

  private static final String VERSION = "ktriage-signature-v1";
  private static final Map<String, String> FAMILIES = loadFamilies();
  private static final Pattern SCHEDULER_ENTRY =
      Pattern.compile("__switch_to(?:_asm)?|__schedule|schedule|context_switch");

  /** A frame candidate: normalized name, module, and whether it is an exception (pt_regs) frame. */
  private record Candidate(String function, @Nullable String module, boolean exception) {}

  /**
   * Computes the signature of a report's first failure.
   *
   * @param failureClass the class computed by the analysis
   * @param report the report
   * @param primary the primary failure, whose function (when known) is where the search starts
   */
  public static Signature of(
      FailureClass failureClass, CrashReport report, @Nullable PrimaryFailure primary) {
    List<Candidate> frames = candidates(report);
    int start = startIndex(frames, primary, isOopsForm(report));
    String guilty = null;
    String module = null;
    if (start < 0 && primary != null && primary.function() != null) {
      guilty = normalizeFunction(primary.function());
      module = primary.module();
    } else if (isSleeping(frames, Math.max(start, 0))) {
      Candidate c = blockedAt(frames, Math.max(start, 0));
      if (c != null) {
        guilty = c.function();
        module = c.module();
      }
    } else {
      for (int i = Math.max(start, 0); i < frames.size(); i++) {
        Candidate c = frames.get(i);
        if (!isSkipped(c.function())) {
          guilty = c.function();
          module = c.module();
          break;
        }
      }
    }
    if (module == null && primary != null && guilty != null && primary.function() != null) {
      if (normalizeFunction(primary.function()).equals(guilty)) {
        module = primary.module();
      }
    }
    if (module == null && guilty != null) {
      module = moduleOf(frames, guilty);
    }
    List<String> hashed = guilty == null ? List.of() : List.of(guilty);
    return new Signature(hash(failureClass, hashed), failureClass, hashed, module);
  }

  /**
   * The signature of a crash known only by its title (no frames in the model, e.g. a report whose
   * stack was lost): the class and the title hashed.
   */
  public static Signature ofTitle(FailureClass failureClass, String title) {
    List<String> hashed = List.of("title:" + title);
    return new Signature(hash(failureClass, hashed), failureClass, List.of(), null);
  }

  /**
   * The normalized functions of the failing stack from the failure down (reporting machinery
   * skipped), at most {@code max}; the input of frame-similarity measures.
   */
  public static List<String> stack(CrashReport report, @Nullable PrimaryFailure primary, int max) {
    List<Candidate> frames = candidates(report);
    int start = Math.max(startIndex(frames, primary, isOopsForm(report)), 0);
    List<String> out = new ArrayList<>();
    for (int i = start; i < frames.size() && out.size() < max; i++) {
      String f = frames.get(i).function();
      if (!isSkipped(f)) {
        out.add(f);
      }
    }
    return out;
  }

  private static boolean isOopsForm(CrashReport report) {
    if (report.oopses().isEmpty()) {
      return false;
    }
    Oops oops = report.oopses().get(0);
    return (oops.ip() != null && !oops.ip().userMode())
        || oops.trace().stream().anyMatch(s -> !s.frames().isEmpty());
  }

  private static List<Candidate> candidates(CrashReport report) {
    List<Candidate> frames = new ArrayList<>();
    if (isOopsForm(report)) {
      Oops oops = report.oopses().get(0);
      ExceptionFrame ip = oops.ip();
      if (ip != null && !ip.userMode()) {
        frames.add(exceptionCandidate(ip));
      }
      flatten(oops.trace(), frames);
    } else {
      CpuState cpu = panicCpu(report);
      if (cpu != null) {
        flatten(cpu.segments(), frames);
      }
    }
    return frames;
  }

  /**
   * True when the stack is a task switched out in the scheduler (a hung or blocked task): no
   * exception frame, and the first frames are context-switch code.
   */
  private static boolean isSleeping(List<Candidate> frames, int start) {
    for (int i = start; i < frames.size() && i < start + 3; i++) {
      Candidate c = frames.get(i);
      if (c.exception()) {
        return false;
      }
      if (SCHEDULER_ENTRY.matcher(c.function()).matches()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Where a sleeping task blocked: as for hung-task titles, waits on rtnl and on RCU grace periods
   * are grouped, else the first frame that is not scheduling, locking or waiting machinery.
   */
  private static @Nullable Candidate blockedAt(List<Candidate> frames, int start) {
    TitleRules rules = TitleRules.get();
    for (int i = start; i < frames.size(); i++) {
      Candidate c = frames.get(i);
      for (Map.Entry<String, String> anchor : rules.hangAnchors.entrySet()) {
        if (c.function().contains(anchor.getKey())) {
          String name = anchor.getValue().isEmpty() ? c.function() : anchor.getValue();
          return new Candidate(name, c.module(), false);
        }
      }
    }
    nextFrame:
    for (int i = start; i < frames.size(); i++) {
      Candidate c = frames.get(i);
      for (String ignore : rules.hangSkip) {
        if (c.function().contains(ignore)) {
          continue nextFrame;
        }
      }
      if (!isSkipped(c.function())) {
        return c;
      }
    }
    return null;
  }

  /** Strips compiler suffixes: {@code foo.isra.0}, {@code foo.constprop.0.cold} become foo. */
  public static String normalizeFunction(String function) {
    String f = function.strip();
    int plus = f.indexOf('+');
    if (plus > 0) {
      f = f.substring(0, plus);
    }
    return CloneSuffixes.strip(f);
  }

  private static int startIndex(
      List<Candidate> frames, @Nullable PrimaryFailure primary, boolean fromOops) {
    if (primary != null && primary.function() != null) {
      String want = normalizeFunction(primary.function());
      for (int i = 0; i < frames.size(); i++) {
        if (frames.get(i).function().equals(want)) {
          return i;
        }
      }
      return -1;
    }
    if (!fromOops || (!frames.isEmpty() && !frames.get(0).exception())) {
      // A crash backtrace runs from panic() down, and a report without a faulting RIP (an RCU
      // stall) prints the detector's stack first: the failure is at the first exception frame.
      for (int i = 0; i < frames.size(); i++) {
        if (frames.get(i).exception()) {
          return i;
        }
      }
    }
    return 0;
  }

  private static void flatten(List<StackSegment> segments, List<Candidate> out) {
    for (StackSegment seg : segments) {
      for (Frame f : seg.frames()) {
        if (f.reliable() && !f.function().isBlank()) {
          out.add(new Candidate(normalizeFunction(f.function()), f.module(), false));
        }
      }
      ExceptionFrame ex = seg.exception();
      if (ex != null && !ex.userMode()) {
        out.add(exceptionCandidate(ex));
      }
    }
  }

  /** An exception frame; an unsymbolized one (empty name) still marks where the failure is. */
  private static Candidate exceptionCandidate(ExceptionFrame ex) {
    String f = ex.function();
    return new Candidate(f == null ? "" : normalizeFunction(f), ex.module(), true);
  }

  private static @Nullable CpuState panicCpu(CrashReport report) {
    for (CpuState c : report.cpus()) {
      if (c.panicCpu()) {
        return c;
      }
    }
    return report.cpus().isEmpty() ? null : report.cpus().get(0);
  }

  private static @Nullable String moduleOf(List<Candidate> frames, String function) {
    for (Candidate c : frames) {
      if (c.function().equals(function) && c.module() != null) {
        return c.module();
      }
    }
    return null;
  }

  /**
   * True for reporting, trapping, locking and checking machinery ({@link ReportingFrames}): a frame
   * that detected or waited on a failure rather than caused it.
   */
  public static boolean isInfrastructure(String function) {
    return isSkipped(normalizeFunction(function));
  }

  private static boolean isSkipped(String function) {
    if (function.isEmpty()) {
      return true;
    }
    return ReportingFrames.isSignatureSkip(function);
  }

  private static String hash(FailureClass failureClass, List<String> frames) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String key = VERSION + "\n" + family(failureClass) + "\n" + String.join("\n", frames);
      byte[] digest = sha.digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8).toLowerCase(Locale.ROOT);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /** The family of a failure class that is hashed (see {@code signature-families.txt}). */
  public static String family(FailureClass failureClass) {
    return FAMILIES.getOrDefault(failureClass.id(), failureClass.id());
  }

  private static Map<String, String> loadFamilies() {
    Map<String, String> out = new java.util.HashMap<>();
    for (String line : resourceLines("signature-families.txt")) {
      int space = line.indexOf(' ');
      if (space > 0) {
        out.put(line.substring(0, space), line.substring(space + 1).strip());
      }
    }
    return Map.copyOf(out);
  }

  private static List<String> resourceLines(String name) {
    List<String> out = new ArrayList<>();
    try (InputStream in = Signature.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String s = line.strip();
        if (!s.isEmpty() && !s.startsWith("#")) {
          out.add(s);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
