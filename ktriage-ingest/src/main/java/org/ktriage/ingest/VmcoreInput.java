package org.ktriage.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.dump.DumpContents;
import org.ktriage.ingest.dump.Vmcore;
import org.ktriage.ingest.dump.VmcoreReader;
import org.ktriage.ingest.input.InputFormats;
import org.ktriage.ingest.input.Inputs;
import org.ktriage.ingest.insn.KernelTextInstructions;
import org.ktriage.ingest.kernel.DumpObjects;
import org.ktriage.ingest.text.OopsParser;
import org.ktriage.model.Completeness;
import org.ktriage.model.CrashReport;
import org.ktriage.model.InputFormat;
import org.ktriage.model.InputSource;
import org.ktriage.model.Oops;

/**
 * One dump input (ELF vmcore, kdump-compressed, flattened) read into a report: its log, CPUs,
 * modules and the dump objects its first reports point at; a dump whose header is whole but whose
 * readers stopped is a PARTIAL report that says why.
 */
final class VmcoreInput {
  private VmcoreInput() {}

  static CrashReport read(Inputs.Opened in, Strictness strictness, @Nullable Path systemMap)
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
    } catch (IOException e) {
      // a dump exists because the kernel crashed (or someone dumped it on purpose): one its
      // readers cannot follow past a cut or a corrupt part still gets a report, PARTIAL, that
      // says what could not be read and why; only a file that is not a dump at all is refused
      if (in.format().reader() instanceof InputFormats.Dump d
          && strictness == Strictness.LENIENT
          && headerWhole(file, d.format())) {
        return unreadDump(in, file, d.format(), e);
      }
      if (e instanceof UnreadableInputException) {
        throw new UnreadableInputException(in.named(Ingest.oneLine(e)), e);
      }
      throw new UnreadableInputException(in.named(file + ": " + Ingest.oneLine(e)), e);
    }
    Completeness completeness =
        Ingest.containerProblems(in)
            .plus(c.completeness())
            .plus(new Completeness(false, objects.notes()));
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

  /**
   * True when the file holds at least its format's main header: the ELF header (64 bytes,
   * Elf64_Ehdr), kdump's struct disk_dump_header (464 bytes, makedumpfile diskdump_mod.h), the
   * flattened format's 4096-byte makedumpfile_header (MAX_SIZE_MDF_HEADER). A shorter file is not a
   * dump one can say anything about; it is refused in one line.
   */
  private static boolean headerWhole(Path file, InputFormat format) {
    long need =
        switch (format) {
          case VMCORE_ELF -> 64;
          case VMCORE_KDUMP -> 464;
          case VMCORE_FLATTENED -> 4096;
          default -> Long.MAX_VALUE;
        };
    try {
      return Files.size(file) >= need;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The report of a dump whose header was recognised but whose readers stopped (cut before its
   * notes, its bitmaps or its log, or corrupt there): the kernel its header names is kept; no
   * kernel log, CPUs or registers could be read, and the report says so and why.
   */
  private static CrashReport unreadDump(
      Inputs.Opened in, Path file, InputFormat format, IOException e) {
    String reason = Ingest.oneLine(e);
    String name = in.name();
    if (reason.startsWith(name + ": ")) {
      reason = reason.substring(name.length() + 2);
    }
    List<String> problems = new ArrayList<>(Ingest.containerProblems(in).problems());
    problems.add(
        name
            + ": the "
            + format.id()
            + " dump could not be read ("
            + reason
            + "): no kernel log, CPU registers or modules were read from it; a cut copy (check"
            + " its size against the original) or a corrupt dump");
    return CrashReport.builder()
        .sources(List.of(new InputSource(name, format)))
        .kernel(Vmcore.headerKernel(file))
        .completeness(new Completeness(true, problems))
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
}
