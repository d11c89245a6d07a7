package org.ktriage.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.dump.DumpContents;
import org.ktriage.ingest.dump.Vmcore;
import org.ktriage.ingest.dump.VmcoreReader;
import org.ktriage.ingest.input.InputFormats;
import org.ktriage.ingest.input.Inputs;
import org.ktriage.ingest.insn.KernelTextInstructions;
import org.ktriage.ingest.kernel.DumpObjects;
import org.ktriage.ingest.text.OopsParser;
import org.ktriage.ingest.text.ReportFormats;
import org.ktriage.ingest.text.TextReader;
import org.ktriage.model.AddressFact;
import org.ktriage.model.Completeness;
import org.ktriage.model.ContextKind;
import org.ktriage.model.CpuState;
import org.ktriage.model.CrashReport;
import org.ktriage.model.InputFormat;
import org.ktriage.model.InputSource;
import org.ktriage.model.KernelInfo;
import org.ktriage.model.KernelModule;
import org.ktriage.model.LockWait;
import org.ktriage.model.LogRecord;
import org.ktriage.model.MemoryLayout;
import org.ktriage.model.Oops;
import org.ktriage.model.PanicInfo;
import org.ktriage.model.PendingCallback;
import org.ktriage.model.RegisterSet;
import org.ktriage.model.StackSegment;

/**
 * Entry point of the ingest layer: sniffs each input's format, reads it, and merges all inputs of
 * one crash into one {@link CrashReport}.
 */
public final class Ingest {
  private static final Pattern CPU_IN_HEADLINE =
      Pattern.compile("(?:CPU#|[Cc][Pp][Uu] |CPU: )(\\d+)");

  private Ingest() {}

  /**
   * Reads the inputs (files or kdump directories) of one crash; {@code -} is refused (no standard
   * input is given here).
   *
   * @throws UnreadableInputException when no input can be read at all
   */
  public static CrashReport read(List<Path> inputs, Strictness strictness)
      throws UnreadableInputException {
    return read(inputs, strictness, InputStream.nullInputStream());
  }

  /**
   * Reads the inputs (files, kdump directories, or {@code -} for {@code stdin}) of one crash, each
   * recognised through {@link InputFormats}.
   *
   * @throws UnreadableInputException when no input can be read at all
   */
  public static CrashReport read(List<Path> inputs, Strictness strictness, InputStream stdin)
      throws UnreadableInputException {
    return read(inputs, strictness, stdin, null);
  }

  /**
   * Reads the inputs of one crash, taking a dump's kernel symbols from {@code systemMap} when given
   * (kernels whose dumps carry no kallsyms).
   *
   * @throws UnreadableInputException when no input can be read at all
   */
  public static CrashReport read(
      List<Path> inputs, Strictness strictness, InputStream stdin, @Nullable Path systemMap)
      throws UnreadableInputException {
    if (inputs.isEmpty()) {
      throw new UnreadableInputException("no input given");
    }
    List<CrashReport> parts = new ArrayList<>();
    for (Path p : inputs) {
      if (!Inputs.isStdin(p) && Files.isDirectory(p)) {
        parts.add(readDirectory(p, strictness, systemMap));
      } else {
        parts.add(readFile(p, strictness, stdin, systemMap));
      }
    }
    CrashReport merged = merge(parts);
    if (strictness == Strictness.STRICT && merged.completeness().partial()) {
      throw new UnreadableInputException(
          "strict: " + String.join("; ", merged.completeness().problems()));
    }
    return merged;
  }

  /** Turns kernel log records (e.g. a log extracted from a dump) into reports, in log order. */
  public static List<Oops> parseOopses(List<LogRecord> records) {
    return OopsParser.parse(records);
  }

  private static CrashReport readVmcore(
      Inputs.Opened in, Strictness strictness, @Nullable Path systemMap)
      throws UnreadableInputException {
    DumpContents c;
    DumpObjects.Result objects;
    List<Oops> oopses;
    Path file = in.file();
    try (Vmcore v = Vmcore.open(file)) {
      c = new VmcoreReader(strictness, systemMap).read(v);
      List<Oops> parsed = OopsParser.parse(c.log());
      objects = DumpObjects.read(v, c.cpus(), addressesOfInterest(parsed));
      oopses = KernelTextInstructions.decode(v, parsed);
    } catch (UnreadableInputException e) {
      throw new UnreadableInputException(in.named(oneLine(e)), e);
    } catch (IOException e) {
      throw new UnreadableInputException(in.named(file + ": " + oneLine(e)), e);
    }
    Completeness completeness =
        containerProblems(in).plus(c.completeness()).plus(new Completeness(false, objects.notes()));
    if (!file.toString().equals(in.name())) {
      completeness =
          new Completeness(
              completeness.partial(), completeness.problems().stream().map(in::named).toList());
    }
    return CrashReport.builder()
        .sources(List.of(new InputSource(in.name(), c.format())))
        .kernel(c.kernel())
        .log(c.log())
        .oopses(oopses)
        .cpus(objects.cpus())
        .modules(objects.modules())
        .completeness(completeness)
        .pendingCallbacks(objects.pending())
        .lockWaits(objects.lockWaits())
        .addressFacts(objects.addressFacts())
        .build();
  }

  /** Reports whose addresses are looked up in a dump's memory (the first failures matter most). */
  static final int ADDRESS_REPORTS = 3;

  /**
   * The fault address and the register values of the first reports: what {@code crash}'s {@code
   * kmem} is asked about first when a report names a bad pointer.
   */
  static List<Long> addressesOfInterest(List<Oops> oopses) {
    List<Long> out = new ArrayList<>();
    for (Oops o : oopses.subList(0, Math.min(ADDRESS_REPORTS, oopses.size()))) {
      if (o.faultAddress() != null) {
        out.add(o.faultAddress());
      }
      if (o.ip() != null) {
        for (Map.Entry<String, Long> r : o.ip().registers().values().entrySet()) {
          switch (r.getKey()) {
            case "RIP", "EFLAGS", "RFLAGS", "CS", "SS", "ORIG_RAX", "PC", "PSTATE" -> {}
            default -> out.add(r.getValue());
          }
        }
      }
    }
    return out;
  }

  private static CrashReport readFile(
      Path p, Strictness strictness, InputStream stdin, @Nullable Path systemMap)
      throws UnreadableInputException {
    try (Inputs.Opened in = Inputs.open(p, stdin)) {
      InputFormats f = in.format();
      if (f.reader() instanceof InputFormats.Dump) {
        return readVmcore(in, strictness, systemMap);
      }
      TextReader.TextResult t = TextReader.read(in.stream(), in.name());
      if (!t.kernelText()) {
        List<String> cut = in.problems();
        throw new UnreadableInputException(
            in.name()
                + ": no kernel log, oops report or crash output found"
                + (cut.isEmpty() ? "" : " (" + cut.get(0) + ")"));
      }
      return toReport(Path.of(in.name()), t, containerProblems(in));
    } catch (UnreadableInputException e) {
      throw e;
    } catch (IOException e) {
      throw new UnreadableInputException(Inputs.shown(p) + ": " + oneLine(e), e);
    }
  }

  /** What the input's containers could not give (cut, corrupt, capped): a PARTIAL report. */
  private static Completeness containerProblems(Inputs.Opened in) {
    List<String> problems = in.problems();
    return problems.isEmpty() ? Completeness.whole() : new Completeness(true, problems);
  }

  private static CrashReport toReport(Path p, TextReader.TextResult t, Completeness containers) {
    PanicInfo panic = t.crashPanic();
    String lastUnloaded = null;
    List<KernelModule> modules = t.modules();
    for (Oops o : t.oopses()) {
      if (o.lastUnloaded() != null) {
        lastUnloaded = o.lastUnloaded();
      }
      if (t.modules().isEmpty() && !o.modules().isEmpty()) {
        modules = o.modules();
      }
    }
    return CrashReport.builder()
        .sources(List.of(new InputSource(p.toString(), t.format())))
        .kernel(t.kernel())
        .log(t.log())
        .oopses(t.oopses())
        .cpus(t.cpus())
        .panic(panic)
        .modules(modules)
        .lastUnloaded(lastUnloaded)
        .completeness(containers.plus(t.completeness()))
        .build();
  }

  private static CrashReport readDirectory(
      Path dir, Strictness strictness, @Nullable Path systemMap) throws UnreadableInputException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path f : ds) {
        if (Files.isRegularFile(f)) {
          files.add(f);
        }
      }
    } catch (IOException e) {
      throw new UnreadableInputException(dir + ": cannot list directory: " + oneLine(e), e);
    }
    files.sort(Comparator.comparing(Path::toString));
    List<CrashReport> parts = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Path f : files) {
      String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
      boolean dump = name.startsWith("vmcore") && !name.endsWith(".txt");
      boolean text =
          name.endsWith(".txt")
              || name.endsWith(".log")
              || name.startsWith("dmesg")
              || name.startsWith("vmcore-dmesg");
      if (!dump && !text) {
        continue;
      }
      try {
        parts.add(readFile(f, strictness, InputStream.nullInputStream(), systemMap));
      } catch (UnreadableInputException e) {
        if (dump) {
          problems.add(e.getMessage());
        }
      }
    }
    if (parts.isEmpty()) {
      throw new UnreadableInputException(
          dir
              + ": no vmcore-dmesg.txt, dmesg or crash output readable in this directory"
              + (problems.isEmpty() ? "" : " (" + problems.get(0) + ")"));
    }
    CrashReport merged = merge(parts);
    List<InputSource> sources = new ArrayList<>();
    sources.add(new InputSource(dir.toString(), InputFormat.KDUMP_DIRECTORY));
    sources.addAll(merged.sources());
    return merged.toBuilder()
        .sources(sources)
        .completeness(merged.completeness().plus(new Completeness(!problems.isEmpty(), problems)))
        .build();
  }

  /** Merges the reports of several inputs of one crash. */
  static CrashReport merge(List<CrashReport> parts) {
    if (parts.size() == 1) {
      CrashReport only = parts.get(0);
      return withDerived(only);
    }
    List<InputSource> sources = new ArrayList<>();
    Completeness completeness = Completeness.whole();
    CrashReport logPart = parts.get(0);
    CrashReport oopsPart = parts.get(0);
    for (CrashReport r : parts) {
      sources.addAll(r.sources());
      completeness = completeness.plus(r.completeness());
      if (r.log().size() > logPart.log().size()) {
        logPart = r;
      }
      if (r.oopses().size() > oopsPart.oopses().size()) {
        oopsPart = r;
      }
    }
    List<CrashReport> sessionsFirst = new ArrayList<>(parts);
    sessionsFirst.sort(Comparator.comparingInt(Ingest::infoRank));
    KernelInfo k = KernelInfo.unknown();
    for (CrashReport r : sessionsFirst) {
      k = mergeKernel(k, r.kernel());
    }
    List<CpuState> cpus = List.of();
    PanicInfo crashPanic = null;
    List<KernelModule> modules = List.of();
    String lastUnloaded = null;
    List<PendingCallback> pending = List.of();
    List<LockWait> lockWaits = List.of();
    List<AddressFact> addressFacts = List.of();
    for (CrashReport r : sessionsFirst) {
      if (addressFacts.isEmpty()) {
        addressFacts = r.addressFacts();
      }
      if (pending.isEmpty()) {
        pending = r.pendingCallbacks();
      }
      if (lockWaits.isEmpty()) {
        lockWaits = r.lockWaits();
      }
      if (segmentCount(r.cpus()) > segmentCount(cpus) || (cpus.isEmpty() && !r.cpus().isEmpty())) {
        cpus = r.cpus();
      }
      if (crashPanic == null && r.panic() != null) {
        crashPanic = r.panic();
      }
      if (modules.isEmpty() && !r.modules().isEmpty()) {
        modules = r.modules();
      }
      if (lastUnloaded == null) {
        lastUnloaded = r.lastUnloaded();
      }
    }
    return withDerived(
        CrashReport.builder()
            .sources(sources)
            .kernel(k)
            .log(logPart.log())
            .oopses(oopsPart.oopses())
            .cpus(cpus)
            .panic(crashPanic)
            .modules(modules)
            .lastUnloaded(lastUnloaded)
            .completeness(completeness)
            .pendingCallbacks(pending)
            .lockWaits(lockWaits)
            .addressFacts(addressFacts)
            .build());
  }

  private static int segmentCount(List<CpuState> cpus) {
    return cpus.stream().mapToInt(c -> c.segments().size()).sum();
  }

  private static int infoRank(CrashReport r) {
    InputFormat f = r.sources().isEmpty() ? InputFormat.UNKNOWN : r.sources().get(0).format();
    return switch (f) {
      case CRASH_SESSION -> 0;
      case VMCORE_ELF, VMCORE_KDUMP, VMCORE_FLATTENED -> 1;
      default -> 2;
    };
  }

  private static KernelInfo mergeKernel(KernelInfo a, KernelInfo b) {
    MemoryLayout layout = a.layout().equals(MemoryLayout.unknown()) ? b.layout() : a.layout();
    return new KernelInfo(
        a.release() != null ? a.release() : b.release(),
        a.version() != null ? a.version() : b.version(),
        a.arch() != null ? a.arch() : b.arch(),
        a.hostname() != null ? a.hostname() : b.hostname(),
        a.taint() != null ? a.taint() : b.taint(),
        a.hardware() != null ? a.hardware() : b.hardware(),
        layout);
  }

  /**
   * Fills what the log implies: the panic message from {@code Kernel panic - not syncing:} (task
   * and CPU from {@code crash} when known), and per-CPU stacks from each CPU's first report when no
   * {@code crash} session or dump gave any.
   */
  private static CrashReport withDerived(CrashReport r) {
    Oops panicking = null;
    for (Oops o : r.oopses()) {
      if (o.panicMessage() != null) {
        panicking = o;
      }
    }
    PanicInfo panic = r.panic();
    if (panicking != null) {
      String msg = panicking.panicMessage();
      if (panic == null) {
        panic =
            new PanicInfo(
                msg == null ? "" : msg,
                panicking.cpu(),
                panicking.comm(),
                panicking.pid(),
                panicking.span());
      } else if (msg != null) {
        panic =
            new PanicInfo(
                msg,
                panic.cpu() != null ? panic.cpu() : panicking.cpu(),
                panic.task() != null ? panic.task() : panicking.comm(),
                panic.pid() != null ? panic.pid() : panicking.pid(),
                panicking.span());
      }
    }
    List<CpuState> cpus = r.cpus().isEmpty() ? cpusFromReports(r.oopses(), panic) : r.cpus();
    if (panic != null && panic.cpu() == null) {
      List<CpuState> onPanicCpu = cpus.stream().filter(CpuState::panicCpu).toList();
      if (onPanicCpu.size() == 1) {
        CpuState c = onPanicCpu.get(0);
        panic =
            new PanicInfo(
                panic.message(),
                c.cpu(),
                panic.task() != null ? panic.task() : c.comm(),
                panic.pid() != null ? panic.pid() : c.pid(),
                panic.source());
      }
    }
    List<KernelModule> modules = r.modules();
    String lastUnloaded = r.lastUnloaded();
    for (Oops o : r.oopses()) {
      if (modules.isEmpty() && !o.modules().isEmpty()) {
        modules = o.modules();
      }
      if (lastUnloaded == null && o.lastUnloaded() != null) {
        lastUnloaded = o.lastUnloaded();
      }
    }
    KernelInfo k = r.kernel();
    if (!r.oopses().isEmpty()) {
      Oops first = r.oopses().get(0);
      k =
          mergeKernel(
              k,
              new KernelInfo(
                  first.release(),
                  null,
                  null,
                  null,
                  first.taint(),
                  first.hardware(),
                  MemoryLayout.unknown()));
    }
    return r.toBuilder()
        .kernel(k)
        .cpus(cpus)
        .panic(panic)
        .modules(modules)
        .lastUnloaded(lastUnloaded)
        .build();
  }

  /** One {@link CpuState} per CPU from its first report with a trace or registers. */
  static List<CpuState> cpusFromReports(List<Oops> oopses, @Nullable PanicInfo panic) {
    List<CpuState> out = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    for (Oops o : oopses) {
      if (o.trace().isEmpty() && o.ip() == null) {
        continue;
      }
      Integer cpu = o.cpu();
      if (cpu == null) {
        Matcher m = CPU_IN_HEADLINE.matcher(o.headline());
        cpu = m.find() ? Integer.valueOf(m.group(1)) : Integer.valueOf(-1);
      }
      if (!seen.add(cpu)) {
        continue;
      }
      List<StackSegment> segments = new ArrayList<>();
      if (o.ip() != null && !o.ip().userMode()) {
        segments.add(new StackSegment(ipContext(o), null, List.of(), o.ip()));
      }
      segments.addAll(o.trace());
      boolean panicCpu = panic != null && panic.cpu() != null && panic.cpu().equals(cpu);
      out.add(
          new CpuState(
              cpu, o.pid(), o.comm(), null, RegisterSet.empty(), segments, panicCpu, o.span()));
    }
    out.sort(Comparator.comparingInt(CpuState::cpu));
    return out;
  }

  /** Context of the registers printed before the trace: a lockup interrupt or an exception. */
  private static ContextKind ipContext(Oops o) {
    ReportFormats.HeaderMatch hm = ReportFormats.match(o.headline(), 0);
    String family = hm == null ? "" : hm.rule().family();
    return switch (family) {
      case "soft-lockup" -> ContextKind.HARDIRQ;
      case "hard-lockup" -> ContextKind.NMI;
      default -> ContextKind.EXCEPTION;
    };
  }

  private static String oneLine(Exception e) {
    String m = e.getMessage();
    String s = m == null ? e.getClass().getSimpleName() : m;
    return s.replace('\n', ' ');
  }
}
