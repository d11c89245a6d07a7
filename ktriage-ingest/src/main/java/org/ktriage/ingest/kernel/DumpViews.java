package org.ktriage.ingest.kernel;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.btf.Btf;
import org.ktriage.ingest.btf.BtfArray;
import org.ktriage.ingest.btf.BtfKind;
import org.ktriage.ingest.btf.BtfMember;
import org.ktriage.ingest.btf.BtfStruct;
import org.ktriage.ingest.btf.BtfType;
import org.ktriage.ingest.dump.DumpContents;
import org.ktriage.ingest.dump.Vmcore;
import org.ktriage.ingest.dump.VmcoreReader;
import org.ktriage.model.CpuState;
import org.ktriage.model.RegisterSet;

/**
 * The raw views of {@code ktriage dump DUMP VIEW}: {@code mod}, {@code ps}, {@code bt}, {@code
 * timer}, {@code sym}, {@code kmem}, {@code rd} and {@code struct}, as text lines styled after
 * {@code crash}. Opens the dump once and computes each view on demand.
 */
public final class DumpViews implements Closeable {
  private static final int MAX_STRUCT_DEPTH = 3;

  private final Vmcore vmcore;
  private final KernelView kernel;
  private @Nullable List<LoadedModule> modules;
  private @Nullable List<KernelTask> tasks;
  private @Nullable OrcUnwinder unwinder;
  private @Nullable List<CpuState> cpus;

  private DumpViews(Vmcore vmcore, KernelView kernel) {
    this.vmcore = vmcore;
    this.kernel = kernel;
  }

  /** Opens a dump (kallsyms in VMCOREINFO and BTF in memory are required). */
  public static DumpViews open(Path dump) throws IOException {
    return open(dump, null);
  }

  /** Opens a dump, taking symbols from {@code systemMap} when given (kernels before 6.0). */
  public static DumpViews open(Path dump, @Nullable Path systemMap) throws IOException {
    Vmcore v = Vmcore.open(dump);
    try {
      return new DumpViews(
          v, systemMap == null ? DumpKernel.open(v) : DumpKernel.open(v, systemMap));
    } catch (IOException | RuntimeException e) {
      v.close();
      throw e;
    }
  }

  /** The kernel behind the views. */
  public KernelView kernel() {
    return kernel;
  }

  /** Loaded modules. */
  public List<LoadedModule> modules() throws UnreadableInputException {
    List<LoadedModule> m = modules;
    if (m == null) {
      m = ModuleList.read(kernel);
      modules = m;
    }
    return m;
  }

  /** All tasks. */
  public List<KernelTask> tasks() throws UnreadableInputException {
    List<KernelTask> t = tasks;
    if (t == null) {
      t = TaskList.read(kernel);
      tasks = t;
    }
    return t;
  }

  private OrcUnwinder unwinder() throws UnreadableInputException {
    OrcUnwinder u = unwinder;
    if (u == null) {
      u =
          new OrcUnwinder(
              kernel, OrcTable.read(kernel).withModules(kernel, modules(), new ArrayList<>()));
      unwinder = u;
    }
    return u;
  }

  private List<CpuState> cpus() throws IOException {
    List<CpuState> c = cpus;
    if (c == null) {
      DumpContents contents = VmcoreReader.lenient().read(vmcore);
      c = contents.cpus();
      cpus = c;
    }
    return c;
  }

  /** {@code mod}. */
  public List<String> mod() throws UnreadableInputException {
    return CrashViews.mod(modules());
  }

  /** {@code ps}. */
  public List<String> ps() throws UnreadableInputException {
    return CrashViews.ps(tasks());
  }

  /** {@code timer}: pending wheel timers, orphans flagged, with the current jiffies. */
  public List<String> timer() throws UnreadableInputException {
    List<String> out = new ArrayList<>();
    Long jiffies = TimerWheel.jiffies(kernel);
    out.add("JIFFIES: " + (jiffies == null ? "?" : Long.toString(jiffies)));
    out.addAll(CrashViews.timers(TimerWheel.pending(kernel, modules())));
    out.add("");
    out.addAll(CrashViews.hrtimers(HrtimerQueue.pending(kernel, modules())));
    return out;
  }

  /** Backtraces of every CPU's active task ({@code bt -a}). */
  public List<Backtraces.CpuBacktrace> activeBacktraces() throws IOException {
    long[] current = TaskList.currentTasks(kernel);
    Map<Long, KernelTask> byAddress = new HashMap<>();
    for (KernelTask t : tasks()) {
      byAddress.put(t.address(), t);
    }
    List<Backtraces.CpuBacktrace> out = new ArrayList<>();
    for (CpuState cpu : cpus()) {
      KernelTask task = cpu.cpu() < current.length ? byAddress.get(current[cpu.cpu()]) : null;
      out.add(
          arm64()
              ? Arm64Backtraces.forCpu(kernel, cpu.cpu(), cpu.registers(), task, pacMask())
              : Backtraces.forCpu(kernel, unwinder(), cpu.cpu(), cpu.registers(), task));
    }
    return out;
  }

  /** arm64 has no ORC: its stacks unwind by frame records ({@link Arm64Backtraces}). */
  private boolean arm64() {
    return vmcore.arch().equals("arm64");
  }

  /** NUMBER(KERNELPACMASK) of arm64 VMCOREINFO (v5.7+), 0 when absent. */
  private long pacMask() {
    org.ktriage.ingest.vmcoreinfo.VmcoreInfo vi = vmcore.vmcoreinfo();
    Long mask = vi == null ? null : vi.number("KERNELPACMASK");
    return mask == null ? 0 : mask;
  }

  /** Every CPU's state from the notes, its stack replaced by the ORC backtrace's segments. */
  public List<CpuState> cpuStates() throws IOException {
    List<CpuState> out = new ArrayList<>();
    List<Backtraces.CpuBacktrace> bts = activeBacktraces();
    List<CpuState> notes = cpus();
    for (int i = 0; i < notes.size(); i++) {
      out.add(ModelStacks.cpuState(notes.get(i), bts.get(i)));
    }
    return out;
  }

  /** {@code bt -a} (pid null) or {@code bt PID}. */
  public List<String> bt(@Nullable Integer pid) throws IOException {
    List<String> out = new ArrayList<>();
    if (pid == null) {
      for (Backtraces.CpuBacktrace bt : activeBacktraces()) {
        if (!out.isEmpty()) {
          out.add("");
        }
        out.addAll(CrashViews.bt(bt));
      }
      return out;
    }
    for (KernelTask t : tasks()) {
      if (t.pid() != pid) {
        continue;
      }
      if (!out.isEmpty()) {
        out.add("");
      }
      if (t.active()) {
        for (Backtraces.CpuBacktrace bt : activeBacktraces()) {
          KernelTask on = bt.task();
          if (on != null && on.address() == t.address()) {
            out.addAll(CrashViews.bt(bt));
          }
        }
      } else {
        out.addAll(
            CrashViews.bt(
                arm64()
                    ? Arm64Backtraces.forSleepingTask(kernel, t, pacMask())
                    : Backtraces.forSleepingTask(kernel, unwinder(), t)));
      }
    }
    if (out.isEmpty()) {
      throw new UnreadableInputException("bt: no task with pid " + pid);
    }
    return out;
  }

  /**
   * {@code kmem ADDR}: what an address is (slab object and its state, task stack, module, page, …),
   * as {@code crash}'s {@code kmem} says it.
   */
  public List<String> kmem(long addr) throws UnreadableInputException {
    AddressOwner o = addresses().classify(addr);
    return List.of(String.format(Locale.ROOT, "%016x: %s", addr, o.description()));
  }

  /**
   * What addresses are in this dump's kernel ({@link KernelAddresses}, its architecture's regions).
   */
  public KernelAddresses addresses() throws UnreadableInputException {
    return new KernelAddresses(
        kernel, modules(), tasks(), AddressRegions.of(kernel, vmcore.vmcoreinfo()));
  }

  /** {@code sym ADDR}: the symbol containing an address. */
  public List<String> sym(long addr) throws UnreadableInputException {
    KernelSymbol s = kernel.symbols().symbolize(addr);
    if (s == null) {
      throw new UnreadableInputException(String.format("sym: no symbol at 0x%x", addr));
    }
    return List.of(
        String.format(
            Locale.ROOT,
            "%016x (%c) %s+%d%s",
            addr,
            s.type(),
            s.name(),
            addr - s.address(),
            s.module() == null ? "" : " [" + s.module() + "]"));
  }

  /** {@code rd ADDR [COUNT]}: 64-bit words with their ASCII, two per line. */
  public List<String> rd(long addr, int count) throws UnreadableInputException {
    if (count < 1 || count > 1 << 16) {
      throw new UnreadableInputException("rd: count " + count + " outside 1..65536");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i += 2) {
      long at = addr + 8L * i;
      int words = Math.min(2, count - i);
      byte[] b = new byte[8 * words];
      try {
        kernel.memory().read(at, b, 0, b.length);
      } catch (UnreadableInputException e) {
        throw new UnreadableInputException(
            String.format("rd: invalid kernel virtual address: %x (%s)", at, e.getMessage()));
      }
      StringBuilder line = new StringBuilder(String.format("%016x:  ", at));
      for (int w = 0; w < words; w++) {
        line.append(String.format("%016x ", le64(b, 8 * w)));
      }
      line.append("  ");
      for (byte c : b) {
        line.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
      }
      out.add(line.toString());
    }
    return out;
  }

  /** {@code struct NAME ADDR}: the members of a struct in memory, nested structs indented. */
  public List<String> struct(String name, long addr) throws UnreadableInputException {
    BtfStruct s = kernel.struct(name);
    KernelObject obj = KernelObject.read(kernel.memory(), s, addr);
    List<String> out = new ArrayList<>();
    out.add(String.format("struct %s {", name));
    members(obj, s.type(), 0, "  ", 0, out);
    out.add("}");
    return out;
  }

  private void members(
      KernelObject obj,
      BtfType composite,
      long baseBits,
      String indent,
      int depth,
      List<String> out)
      throws UnreadableInputException {
    Btf btf = kernel.btf();
    for (BtfMember m : btf.members(composite)) {
      BtfType t = btf.resolve(m.typeId());
      long bit = baseBits + m.bitOffset();
      String label = m.name().isEmpty() ? "(anon)" : m.name();
      if (t.isComposite()) {
        if (depth >= MAX_STRUCT_DEPTH) {
          out.add(indent + label + " = {...},");
          continue;
        }
        out.add(indent + label + " = {");
        members(obj, t, bit, indent + "  ", depth + 1, out);
        out.add(indent + "},");
      } else {
        out.add(indent + label + " = " + value(obj, t, bit, m.bitfieldSize()) + ",");
      }
    }
  }

  private String value(KernelObject obj, BtfType t, long bit, int bitfield)
      throws UnreadableInputException {
    Btf btf = kernel.btf();
    byte[] raw = obj.raw();
    long byteOff = bit >>> 3;
    if (t.kind() == BtfKind.ARRAY) {
      BtfArray a = btf.array(t);
      BtfType elem = btf.resolve(a.elementTypeId());
      long size = btf.sizeOf(t.id());
      if (elem.kind() == BtfKind.INT && btf.sizeOf(elem.id()) == 1) {
        int start = (int) byteOff;
        int end = start;
        while (end < Math.min(raw.length, start + size) && raw[end] != 0) {
          end++;
        }
        return "\"" + new String(raw, start, end - start, StandardCharsets.UTF_8) + "\"";
      }
      return "[" + a.elementCount() + " x " + btf.sizeOf(elem.id()) + " bytes]";
    }
    long size = btf.sizeOf(t.id());
    if (bitfield != 0) {
      long word = le(raw, (int) byteOff, (int) Math.min(8, raw.length - byteOff));
      return Long.toString((word >>> (bit & 7)) & ((1L << bitfield) - 1));
    }
    if (size < 1 || size > 8) {
      return "(" + size + " bytes)";
    }
    long v = le(raw, (int) byteOff, (int) size);
    if (t.kind() == BtfKind.PTR) {
      KernelSymbol s = v == 0 ? null : kernel.symbols().symbolize(v);
      return String.format("0x%x", v) + (s == null ? "" : " <" + s.name() + ">");
    }
    if (t.kind() == BtfKind.ENUM) {
      return ModuleList.enumName(btf, t.name(), v);
    }
    return Long.toUnsignedString(v);
  }

  /** The note registers of a CPU, for callers that print them. */
  public RegisterSet registers(int cpu) throws IOException {
    for (CpuState c : cpus()) {
      if (c.cpu() == cpu) {
        return c.registers();
      }
    }
    return RegisterSet.empty();
  }

  private static long le64(byte[] b, int off) {
    return le(b, off, 8);
  }

  private static long le(byte[] b, int off, int size) {
    long v = 0;
    for (int i = size - 1; i >= 0; i--) {
      v = v << 8 | (b[off + i] & 0xffL);
    }
    return v;
  }

  @Override
  public void close() throws IOException {
    vmcore.close();
  }
}
