package org.ktriage.analysis.address;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.AddressKind;
import org.ktriage.model.KernelInfo;
import org.ktriage.model.MemoryLayout;

/**
 * Classifies kernel virtual addresses against the layout of the kernel in hand: the {@link
 * MemoryLayout} when known, else the x86_64 defaults of the era (formats.md §6.1), plus the magic
 * values of §6.3 (poison, KASAN shadow of NULL).
 */
public final class AddressClassifier {

  /** A region [start, end] (inclusive, unsigned). */
  private record Region(AddressKind kind, long start, long end) {
    boolean contains(long a) {
      return Long.compareUnsigned(a, start) >= 0 && Long.compareUnsigned(a, end) <= 0;
    }
  }

  /** A recognised magic value with what it means. */
  public record Poison(String name, String meaning) {}

  private static final long PAGE_SIZE = 4096;
  private static final long MODULES_END = 0xfffffffffeffffffL;

  private final List<Region> regions;
  private final boolean arm64;

  private AddressClassifier(List<Region> regions, boolean arm64) {
    this.regions = regions;
    this.arm64 = arm64;
  }

  /** A classifier for the kernel described, using era defaults where the layout is unknown. */
  public static AddressClassifier forKernel(KernelInfo kernel) {
    String arch = kernel.arch() == null ? "" : kernel.arch();
    if (arch.equals("arm64") || arch.equals("aarch64")) {
      return new AddressClassifier(arm64Regions(), true);
    }
    MemoryLayout l = kernel.layout();
    boolean old = isOldEra(kernel.release());
    long directMap =
        l.pageOffsetBase() != null
            ? l.pageOffsetBase()
            : (old ? 0xffff880000000000L : 0xffff888000000000L);
    long vmalloc = l.vmallocBase() != null ? l.vmallocBase() : 0xffffc90000000000L;
    long vmemmap = l.vmemmapBase() != null ? l.vmemmapBase() : 0xffffea0000000000L;
    // With a 1 GiB KASLR image (RANDOMIZE_BASE, the 4.x+ distro default) modules start at
    // 0xffffffffc0000000; 3.x kernels start them at 0xffffffffa0000000.
    boolean kaslrImage = l.kernelOffset() != null || isAtLeastMajor(kernel.release(), 4);
    long modStart =
        l.modulesStart() != null
            ? l.modulesStart()
            : (kaslrImage ? 0xffffffffc0000000L : 0xffffffffa0000000L);
    long modEnd = l.modulesEnd() != null ? l.modulesEnd() : MODULES_END;
    long textStart = 0xffffffff80000000L;
    // With CONFIG_RANDOMIZE_MEMORY the three bases move but keep their order: each region ends
    // where the next known base begins.
    long directEnd = Math.min(directMap + (64L << 40) - 1, vmalloc - 1);
    long vmallocEnd =
        Long.compareUnsigned(vmalloc, vmemmap) < 0
            ? Math.min(vmalloc + (32L << 40) - 1, vmemmap - 1)
            : vmalloc + (32L << 40) - 1;
    List<Region> r =
        List.of(
            new Region(AddressKind.VMEMMAP, vmemmap, vmemmap + (1L << 40) - 1),
            new Region(AddressKind.VMALLOC, vmalloc, vmallocEnd),
            new Region(AddressKind.DIRECT_MAP, directMap, directEnd),
            new Region(AddressKind.KASAN_SHADOW, 0xffffec0000000000L, 0xfffffbffffffffffL),
            new Region(AddressKind.CPU_ENTRY_AREA, 0xfffffe0000000000L, 0xfffffe7fffffffffL),
            new Region(AddressKind.VSYSCALL, 0xffffffffff600000L, 0xffffffffff600fffL),
            new Region(AddressKind.FIXMAP, 0xffffffffff000000L, 0xffffffffff5fffffL),
            new Region(AddressKind.MODULE_AREA, modStart, modEnd),
            // Kernel image: 512 MiB (1 GiB with KASLR) from __START_KERNEL_map, below modules.
            new Region(AddressKind.KERNEL_TEXT, textStart, modStart - 1));
    return new AddressClassifier(r, false);
  }

  /** 3.x and 4.0–4.19 kernels put the direct map at 0xffff880000000000. */
  private static boolean isOldEra(@Nullable String release) {
    if (release == null) {
      return false;
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)").matcher(release);
    if (!m.find()) {
      return false;
    }
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    return major < 4 || (major == 4 && minor < 20);
  }

  private static boolean isAtLeastMajor(@Nullable String release, int major) {
    if (release == null) {
      return false;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)\\.").matcher(release);
    return m.find() && Integer.parseInt(m.group(1)) >= major;
  }

  private static List<Region> arm64Regions() {
    return List.of(
        // v5.4+ 48-bit: linear map below PAGE_END, then modules/kernel/vmalloc above.
        new Region(AddressKind.DIRECT_MAP, 0xffff000000000000L, 0xffff7fffffffffffL),
        new Region(AddressKind.VMALLOC, 0xffff800000000000L, 0xfffffbffffffffffL),
        new Region(AddressKind.VMEMMAP, 0xfffffc0000000000L, 0xfffffdffffffffffL),
        new Region(AddressKind.FIXMAP, 0xfffffe0000000000L, 0xffffffffffffffffL));
  }

  /** The kind of the address. */
  public AddressKind classify(long a) {
    if (Long.compareUnsigned(a, PAGE_SIZE) < 0) {
      return AddressKind.NULL_PAGE;
    }
    if (poison(a).isPresent()) {
      return AddressKind.POISON;
    }
    if (arm64) {
      if ((a >>> 48) == 0) {
        return AddressKind.USER;
      }
      for (Region r : regions) {
        if (r.contains(a)) {
          return r.kind();
        }
      }
      return AddressKind.NON_CANONICAL;
    }
    if (Long.compareUnsigned(a, 0x0000800000000000L) < 0) {
      return AddressKind.USER;
    }
    if (Long.compareUnsigned(a, 0xffff800000000000L) < 0) {
      return AddressKind.NON_CANONICAL;
    }
    for (Region r : regions) {
      if (r.contains(a)) {
        return r.kind();
      }
    }
    return AddressKind.UNKNOWN;
  }

  /** True for a non-canonical x86_64 address (bits 63:47 not a sign extension). */
  public static boolean isNonCanonical(long a) {
    long top = a >> 47;
    return top != 0 && top != -1;
  }

  /**
   * The poison or magic value the address is (allowing a small member offset), if any: slab
   * POISON_FREE/POISON_INUSE, LIST_POISON1/2 of every era, POISON_POINTER_DELTA, KASAN shadow of
   * NULL, page poison, red zones.
   */
  public static Optional<Poison> poison(long a) {
    if (bytesMostly(a, 0x6b)) {
      return Optional.of(
          new Poison("POISON_FREE (0x6b)", "slab object already freed (use-after-free)"));
    }
    if (bytesMostly(a, 0x5a)) {
      return Optional.of(
          new Poison(
              "POISON_INUSE (0x5a)", "allocated but never initialised slab memory or padding"));
    }
    if (bytesMostly(a, 0xaa)) {
      return Optional.of(new Poison("PAGE_POISON (0xaa)", "freed page under page poisoning"));
    }
    if (bytesMostly(a, 0xcc) || bytesMostly(a, 0xbb)) {
      return Optional.of(new Poison("SLUB red zone", "read of a slab red zone (overflow)"));
    }
    long high = a & 0xffffffff00000000L;
    long low = a & 0xffffffffL;
    if (high == 0xdead000000000000L && Long.compareUnsigned(low, 0x00300000L) < 0) {
      String name = listPoisonName(low);
      return Optional.of(new Poison(name, "pointer of an entry already deleted from its list"));
    }
    if ((a & 0xfffffff000000000L) == 0xdffffc0000000000L
        && Long.compareUnsigned(a - 0xdffffc0000000000L, 0x20000L) < 0) {
      return Optional.of(
          new Poison("KASAN shadow of NULL", "NULL pointer dereference under KASAN"));
    }
    return Optional.empty();
  }

  private static String listPoisonName(long low) {
    long[] values = {0x100, 0x122, 0x200, 0x00100100, 0x00200200, 0x300, 0x400};
    String[] names = {
      "LIST_POISON1",
      "LIST_POISON2",
      "LIST_POISON2 (v4.3–v5.1)",
      "LIST_POISON1 (3.x)",
      "LIST_POISON2 (3.x)",
      "TIMER_ENTRY_STATIC",
      "TAIL_MAPPING"
    };
    int best = -1;
    long bestDistance = Long.MAX_VALUE;
    for (int i = 0; i < values.length; i++) {
      long d = Math.abs(low - values[i]);
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    }
    if (best < 0 || bestDistance >= 0x100) {
      return "POISON_POINTER_DELTA (0xdead…)";
    }
    return names[best] + (bestDistance == 0 ? "" : " ± member offset");
  }

  /**
   * True when at least 6 of the 8 bytes equal {@code b} (a poison pattern plus an offset). The top
   * byte counts as {@code b} when it is what arm64 leaves there: do_mem_abort()
   * (arch/arm64/mm/fault.c) reports {@code untagged_addr(far)}, bit 55 sign-extended over the top
   * byte, so a load through 0x6b6b…6b plus an offset faults at 006b6b…, and 0xaaaa… at ffaa….
   */
  private static boolean bytesMostly(long a, int b) {
    int count = 0;
    for (int i = 0; i < 8; i++) {
      if (((a >>> (8 * i)) & 0xff) == b) {
        count++;
      }
    }
    long top = (a >>> 56) & 0xff;
    long below = (a >>> 48) & 0xff;
    if (top != b && below == b && top == ((b & 0x80) != 0 ? 0xff : 0x00)) {
      count++;
    }
    return count >= 6;
  }

  /** Whether the classifier treats the given address as a kernel text or module address. */
  public boolean isCode(long a) {
    AddressKind k = classify(a);
    return k == AddressKind.KERNEL_TEXT || k == AddressKind.MODULE_AREA;
  }
}
