package org.ktriage.ingest.kernel;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.btf.BtfStruct;

/**
 * Says what a kernel address is (x86_64 or arm64), the way {@code crash}'s {@code kmem ADDR} does,
 * from the dump's memory, symbols and BTF alone.
 *
 * <p>The regions are the architecture's ({@link AddressRegions}). A direct-map address is followed
 * to its {@code struct page} ({@link MemorySections}), then to the compound head; the page is a
 * slab page when its {@code slab_cache} (in {@code struct slab} since v5.17, in {@code struct page}
 * before) is one of the caches on the {@code slab_caches} list. The object is found from the
 * cache's {@code size} and {@code red_left_pad}, and is free when it is on the slab's {@code
 * freelist} or on the per-CPU freelist of a CPU whose current slab it is, as SLUB keeps them
 * ({@code mm/slub.c}); free pointers sit at {@code kmem_cache.offset} in each free object and are
 * decoded as {@code freelist_ptr()} does with {@code CONFIG_SLAB_FREELIST_HARDENED} (XOR with
 * {@code kmem_cache.random} and the byte-swapped pointer address, or the pointer address itself in
 * kernels before v5.7): the decoding whose chain stays on the slab's object boundaries is the
 * kernel's.
 */
public final class KernelAddresses {
  static final int PAGE_SHIFT = 12;

  /** Objects followed on one freelist at most (a slab holds at most 2^15 objects). */
  static final int MAX_FREELIST = 1 << 15;

  private final KernelView k;
  private final List<LoadedModule> modules;
  private final List<KernelTask> tasks;
  private final long threadSize;
  private final AddressRegions regions;
  private @Nullable Set<Long> caches;
  private final Map<Long, String> cacheNames = new HashMap<>();

  /** A classifier over an x86_64 kernel with its loaded modules and tasks. */
  public KernelAddresses(KernelView k, List<LoadedModule> modules, List<KernelTask> tasks) {
    this(k, modules, tasks, AddressRegions.x86(k));
  }

  /** A classifier over a kernel of the given regions with its loaded modules and tasks. */
  public KernelAddresses(
      KernelView k, List<LoadedModule> modules, List<KernelTask> tasks, AddressRegions regions) {
    this.k = k;
    this.modules = List.copyOf(modules);
    this.tasks = List.copyOf(tasks);
    this.threadSize = Backtraces.threadSize(k);
    this.regions = regions;
  }

  private static boolean in(long addr, @Nullable Long base, long size) {
    return AddressRegions.in(addr, base, size);
  }

  /** What {@code addr} is. */
  public AddressOwner classify(long addr) {
    if (regions.userHalf(addr)) {
      return owner(addr, AddressOwner.Kind.USER, null, addr, "user-space address");
    }
    if (!regions.kernelHalf(addr)) {
      return owner(addr, AddressOwner.Kind.NON_CANONICAL, null, addr, "not a canonical address");
    }
    AddressOwner stack = taskStack(addr);
    if (stack != null) {
      return stack;
    }
    AddressOwner module = module(addr);
    if (module != null) {
      return module;
    }
    if (KernelAddressSpace.of(k).inFreedModuleArea(addr, modules)) {
      return owner(
          addr,
          AddressOwner.Kind.FREED_MODULE_AREA,
          null,
          addr,
          "module area, in no loaded module: memory of an unloaded module (or never mapped)");
    }
    if (regions.inDirectMap(addr)) {
      return directMap(addr);
    }
    if (regions.inVmemmap(addr)) {
      return owner(addr, AddressOwner.Kind.VMEMMAP, null, addr, "struct page array (vmemmap)");
    }
    // arm64 maps the kernel image inside its vmalloc range: the image is asked first
    AddressOwner image = kernelImage(addr, true);
    if (image != null) {
      return image;
    }
    if (regions.inVmalloc(addr)) {
      return owner(addr, AddressOwner.Kind.VMALLOC, null, addr, "vmalloc area");
    }
    image = kernelImage(addr, false);
    return image != null
        ? image
        : owner(addr, AddressOwner.Kind.UNKNOWN, null, addr, "no known kernel region");
  }

  /**
   * The kernel-image symbol at {@code addr}; with {@code bounded}, only inside {@code [_text,
   * _end)} (when both are known).
   */
  private @Nullable AddressOwner kernelImage(long addr, boolean bounded) {
    if (bounded) {
      Long text = k.findSymbol("_text");
      Long end = k.findSymbol("_end");
      if (text == null || end == null || !in(addr, text, end - text)) {
        return null;
      }
    }
    KernelSymbol s = k.symbols().symbolize(addr);
    if (s == null || s.module() != null) {
      return null;
    }
    return owner(
        addr,
        AddressOwner.Kind.KERNEL_IMAGE,
        s.name(),
        s.address(),
        String.format("kernel image: (%c) %s+0x%x", s.type(), s.name(), addr - s.address()));
  }

  /** A task's kernel stack, or the guard page below a vmalloc'ed one (CONFIG_VMAP_STACK). */
  private @Nullable AddressOwner taskStack(long addr) {
    for (KernelTask t : tasks) {
      long base = t.stackBase();
      if (base == 0) {
        continue;
      }
      String who = t.pid() + " " + t.comm();
      if (in(addr, base, threadSize)) {
        return owner(
            addr,
            AddressOwner.Kind.TASK_STACK,
            who,
            base,
            String.format(
                "kernel stack of pid %s (%016x-%016x), %d bytes above its lowest address",
                who, base, base + threadSize, addr - base));
      }
      if (inVmalloc(addr) && in(addr, base - (1L << PAGE_SHIFT), 1L << PAGE_SHIFT)) {
        return owner(
            addr,
            AddressOwner.Kind.STACK_GUARD,
            who,
            base,
            String.format(
                "guard page %d bytes below the kernel stack of pid %s (%016x): stack overflow",
                base - addr, who, base));
      }
    }
    return null;
  }

  /** A region (core, init, data, ...) of a loaded module, with the symbol at the address. */
  private @Nullable AddressOwner module(long addr) {
    for (LoadedModule m : modules) {
      for (ModuleRegion r : m.regions()) {
        if (r.contains(addr)) {
          KernelSymbol s = k.symbols().symbolize(addr);
          return owner(
              addr,
              AddressOwner.Kind.MODULE,
              m.name(),
              r.base(),
              String.format(
                  "module %s %s region %016x-%016x%s",
                  m.name(),
                  r.kind(),
                  r.base(),
                  r.base() + r.size(),
                  s == null ? "" : ": " + s.name() + "+0x" + Long.toHexString(addr - s.address())));
        }
      }
    }
    return null;
  }

  private boolean inVmalloc(long addr) {
    return regions.inVmalloc(addr);
  }

  private static AddressOwner owner(
      long addr, AddressOwner.Kind kind, @Nullable String owner, long start, String text) {
    return new AddressOwner(addr, kind, owner, start, text);
  }

  private AddressOwner directMap(long addr) {
    long pfn = regions.physical(addr) >>> PAGE_SHIFT;
    long pageStart = regions.directMapAddress(pfn << PAGE_SHIFT);
    try {
      MemorySections sections = regions.pages();
      if (sections == null) {
        throw new CorruptKernelDataException("no struct page array known");
      }
      BtfStruct page = k.struct("page");
      long pageAddr = sections.page(pfn, page.size());
      KernelObject p = KernelObject.read(k.memory(), page, pageAddr);
      long head = pageAddr;
      if (page.hasMember("compound_head")) {
        long ch = p.unsigned("compound_head");
        if ((ch & 1) != 0) {
          head = ch - 1;
        }
      }
      BtfStruct slabLayout = k.btf().findStruct("slab");
      if (slabLayout == null || !slabLayout.hasMember("slab_cache")) {
        slabLayout = page;
      }
      KernelObject slab = KernelObject.read(k.memory(), slabLayout, head);
      long cache = slabLayout.hasMember("slab_cache") ? slab.unsigned("slab_cache") : 0;
      if (cache != 0 && slabCaches().contains(cache)) {
        // a compound head is at most 2^MAX_ORDER struct pages below its tail
        long headPfn = pfn - (pageAddr - head) / page.size();
        return slabObject(addr, cache, slab, regions.directMapAddress(headPfn << PAGE_SHIFT));
      }
      String flags = String.format("%x", p.unsigned("flags"));
      String count =
          page.hasMember("_refcount") ? Long.toString(p.signed("_refcount.counter")) : "?";
      return owner(
          addr,
          AddressOwner.Kind.PAGE,
          null,
          pageStart,
          String.format(
              "direct-map page: pfn %x, struct page %016x, flags %s, count %s%s",
              pfn, pageAddr, flags, count, head != pageAddr ? ", tail of a compound page" : ""));
    } catch (UnreadableInputException | RuntimeException e) {
      return owner(
          addr,
          AddressOwner.Kind.PAGE,
          null,
          pageStart,
          String.format("direct-map page: pfn %x (struct page not read: %s)", pfn, e.getMessage()));
    }
  }

  /** The {@code struct kmem_cache} addresses on the {@code slab_caches} list. */
  private Set<Long> slabCaches() throws UnreadableInputException {
    Set<Long> c = caches;
    if (c == null) {
      c = new HashSet<>();
      BtfStruct kc = k.struct("kmem_cache");
      for (long a :
          k.listEntries(k.symbol("slab_caches", "slab caches"), kc.offset("list"), "slab_caches")) {
        c.add(a);
      }
      caches = c;
    }
    return c;
  }

  private String cacheName(KernelObject kc) throws UnreadableInputException {
    String n = cacheNames.get(kc.address());
    if (n == null) {
      n = k.memory().readCString(kc.unsigned("name"), 64);
      cacheNames.put(kc.address(), n);
    }
    return n;
  }

  private AddressOwner slabObject(long addr, long cacheAddr, KernelObject slab, long slabBase)
      throws UnreadableInputException {
    BtfStruct kcLayout = k.struct("kmem_cache");
    KernelObject kc = KernelObject.read(k.memory(), kcLayout, cacheAddr);
    String name = cacheName(kc);
    long size = kc.unsigned("size");
    long objectSize = kcLayout.hasMember("object_size") ? kc.unsigned("object_size") : size;
    long redLeft = kcLayout.hasMember("red_left_pad") ? kc.unsigned("red_left_pad") : 0;
    long objects = slab.layout().hasMember("objects") ? slab.unsigned("objects") : 0;
    if (size == 0 || size > (1L << 24)) {
      throw new CorruptKernelDataException("kmem_cache " + name + " has size " + size);
    }
    long index = (addr - slabBase - redLeft) / size;
    long obj = slabBase + redLeft + index * size;
    if (addr - slabBase < redLeft || (objects > 0 && index >= objects)) {
      return owner(
          addr,
          AddressOwner.Kind.SLAB_OTHER,
          name,
          slabBase,
          String.format(
              "slab page of cache %s at %016x, outside its %d objects", name, slabBase, objects));
    }
    Map<Long, String> free = freeObjects(kc, slab, slabBase, redLeft, size, objects);
    String freelist = free.get(obj);
    long into = addr - obj;
    return owner(
        addr,
        freelist != null ? AddressOwner.Kind.SLAB_FREE : AddressOwner.Kind.SLAB_ALLOCATED,
        name,
        obj,
        String.format(
            "%d bytes into %s object %016x of slab cache %s (%d-byte objects in %d-byte slots%s)%s",
            into,
            freelist != null ? "FREE" : "ALLOCATED",
            obj,
            name,
            objectSize,
            size,
            into >= objectSize ? "; past the object: its red zone, free pointer or tracking" : "",
            freelist != null ? ", on " + freelist : ""));
  }

  /**
   * The free objects of a slab with the freelist each is on: the slab's own, and the per-CPU
   * freelist of each CPU whose current slab it is.
   */
  private Map<Long, String> freeObjects(
      KernelObject kc, KernelObject slab, long base, long redLeft, long size, long objects)
      throws UnreadableInputException {
    Map<Long, String> free = new HashMap<>();
    long offset = kc.unsigned("offset");
    long random = kc.layout().hasMember("random") ? kc.unsigned("random") : 0;
    long limit = objects > 0 ? objects : MAX_FREELIST;
    for (long o : chain(slab.unsigned("freelist"), offset, random, base, redLeft, size, limit)) {
      free.put(o, "the slab's freelist");
    }
    if (kc.layout().hasMember("cpu_slab")) {
      long cpuSlab = kc.unsigned("cpu_slab");
      BtfStruct kcc = k.struct("kmem_cache_cpu");
      String current = kcc.hasMember("slab") ? "slab" : "page";
      for (int cpu = 0; cpu < k.cpuCount(); cpu++) {
        KernelObject c = KernelObject.read(k.memory(), kcc, k.perCpu(cpuSlab, cpu));
        if (kcc.hasMember(current) && c.unsigned(current) == slab.address()) {
          for (long o : chain(c.unsigned("freelist"), offset, random, base, redLeft, size, limit)) {
            free.putIfAbsent(o, "CPU " + cpu + "'s per-CPU freelist");
          }
        }
      }
    }
    return free;
  }

  /**
   * The objects of a freelist starting at {@code first}, its links decoded in the one way (plain,
   * hardened with the swabbed or the plain pointer address) that keeps every link on an object
   * boundary of this slab; empty when none does.
   */
  private Set<Long> chain(
      long first, long offset, long random, long base, long redLeft, long size, long limit) {
    int variants = random == 0 ? 1 : 3;
    for (int v = 0; v < variants; v++) {
      Set<Long> out = new HashSet<>();
      long obj = first;
      boolean ok = true;
      while (obj != 0 && out.size() <= limit) {
        long rel = obj - base - redLeft;
        if (rel < 0 || rel % size != 0 || rel / size >= limit || !out.add(obj)) {
          ok = false;
          break;
        }
        long ptrAddr = obj + offset;
        long raw;
        try {
          raw = k.readPointer(ptrAddr);
        } catch (UnreadableInputException e) {
          ok = false;
          break;
        }
        obj =
            switch (v) {
              case 1 -> raw ^ random ^ Long.reverseBytes(ptrAddr);
              case 2 -> raw ^ random ^ ptrAddr;
              default -> raw;
            };
      }
      if (ok) {
        return out;
      }
    }
    return Set.of();
  }
}
