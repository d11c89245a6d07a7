package org.ktriage.ingest.kallsyms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KallsymsTableTest {
  // System.map-like entries out of address order, with an alias pair and a repeated static name
  private static final KallsymsTable TABLE =
      KallsymsTable.of(
          new long[] {
            0xffffffff81000100L,
            0xffffffff81000000L,
            0xffffffff81000200L,
            0xffffffff81000200L,
            0xffffffff81000300L,
            0xffffffff81000050L,
            0xffffffff81000400L
          },
          new String[] {
            "do_one_initcall", "_stext", "__pfx_cleanup", "cleanup", "_etext", "cleanup", "zz_data"
          },
          new char[] {'T', 'T', 'D', 't', 'T', 't', 'D'});

  @Test
  void namesAreFoundAndTheLowestAddressWinsForARepeatedName() {
    assertThat(TABLE.size()).isEqualTo(7);
    assertThat(TABLE.addressOf("_stext")).isEqualTo(0xffffffff81000000L);
    assertThat(TABLE.addressOf("do_one_initcall")).isEqualTo(0xffffffff81000100L);
    assertThat(TABLE.addressOf("cleanup")).isEqualTo(0xffffffff81000050L);
    assertThat(TABLE.addressOf("clean")).isNull();
    assertThat(TABLE.addressOf("cleanup\u0100")).isNull();
  }

  @Test
  void lookupPrefersTheTextAliasAndSizesToTheNextSymbol() {
    assertThat(TABLE.lookup(0xffffffff81000210L))
        .isEqualTo(new KernelSymbol("cleanup", 't', 0xffffffff81000200L, 0x10, 0x100));
    assertThat(TABLE.lookup(0xffffffff81000120L))
        .isEqualTo(new KernelSymbol("do_one_initcall", 'T', 0xffffffff81000100L, 0x20, 0x100));
    assertThat(TABLE.isKernelText(0xffffffff81000120L)).isTrue();
    assertThat(TABLE.isKernelText(0xffffffff81000300L)).isFalse();
    assertThat(TABLE.symbols().stream().map(KernelSymbol::name).toList())
        .containsExactly(
            "_stext",
            "cleanup",
            "do_one_initcall",
            "__pfx_cleanup",
            "cleanup",
            "_etext",
            "zz_data");
  }

  /**
   * A corrupt token table (a hostile VMCOREINFO, found by KallsymsTableFuzzer) makes every one of
   * kallsyms_num_syms names the same: indexing them by name must stay linear, not probe past every
   * earlier symbol (400 000 names took minutes before).
   */
  @Test
  void identicalNamesAreIndexedInLinearTime() {
    int n = 400_000;
    long[] addrs = new long[n];
    String[] names = new String[n];
    char[] types = new char[n];
    for (int i = 0; i < n; i++) {
      addrs[i] = 0xffffffff81000000L + 16L * (n - i);
      names[i] = i % 1000 == 7 ? "sym" + i : "";
      types[i] = 't';
    }
    long start = System.nanoTime();
    KallsymsTable t = KallsymsTable.of(addrs, names, types);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(t.size()).isEqualTo(n);
    assertThat(t.addressOf("")).isEqualTo(0xffffffff81000000L + 16L);
    assertThat(t.addressOf("sym7")).isEqualTo(0xffffffff81000000L + 16L * (n - 7));
    assertThat(millis).as("indexing %d names, ms", n).isLessThan(20_000);
  }

  /** Every page present and full of {@code fill}, as far as a 64-bit address reaches. */
  private static org.ktriage.ingest.mm.KernelMemory filledMemory(byte fill) {
    org.ktriage.ingest.mm.PhysicalMemory physical =
        new org.ktriage.ingest.mm.PhysicalMemory() {
          @Override
          public int pageSize() {
            return 4096;
          }

          @Override
          public org.ktriage.ingest.mm.PageState readPage(long pfn, byte[] dst) {
            java.util.Arrays.fill(dst, fill);
            return org.ktriage.ingest.mm.PageState.PRESENT;
          }

          @Override
          public long storedBytes() {
            return Long.MAX_VALUE;
          }

          @Override
          public long nextStoredPfn(long pfn, long limit) {
            return pfn;
          }

          @Override
          public java.util.List<String> problems() {
            return java.util.List.of();
          }

          @Override
          public void close() {}
        };
    return new org.ktriage.ingest.mm.KernelMemory(physical, va -> va & ((1L << 40) - 1));
  }

  /**
   * A hostile VMCOREINFO pointing kallsyms_num_syms and kallsyms_names at memory where every length
   * byte says "2^15 - 1 tokens" would have the names read on through all the memory the dump holds
   * (4 M names of 32 767 tokens): the read stops at a named cap, in bounded time and memory.
   */
  @Test
  void namesThatRunOnStopAtTheCap() {
    var info =
        org.ktriage.ingest.vmcoreinfo.VmcoreInfo.parse(
            "SYMBOL(kallsyms_names)=ffffffff81000000\n"
                + "SYMBOL(kallsyms_num_syms)=ffffffff82000000\n"
                + "SYMBOL(kallsyms_token_table)=ffffffff83000000\n"
                + "SYMBOL(kallsyms_token_index)=ffffffff84000000\n"
                + "SYMBOL(kallsyms_offsets)=ffffffff85000000\n"
                + "SYMBOL(kallsyms_relative_base)=ffffffff86000000\n");
    var mem = filledMemory((byte) 0x3d); // num_syms 0x3d3d3d3d is implausible
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> KallsymsTable.load(info, mem))
        .hasMessageContaining("implausible");
    long start = System.nanoTime();
    var ff = filledMemory((byte) 0xff);
    var small =
        org.ktriage.ingest.vmcoreinfo.VmcoreInfo.parse(
            "SYMBOL(kallsyms_names)=ffffffff81000000\n"
                + "SYMBOL(kallsyms_num_syms)=ffffffff82000000\n"
                + "SYMBOL(kallsyms_token_table)=ffffffff83000000\n"
                + "SYMBOL(kallsyms_token_index)=ffffffff84000000\n"
                + "SYMBOL(kallsyms_offsets)=ffffffff85000000\n");
    // num_syms reads 0xffffffff: implausible too; a plausible count comes from a patched word
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> KallsymsTable.load(small, ff))
        .hasMessageContaining("implausible");
    var runOn = patchedU32(ff, 0xffffffff82000000L, 4_000_000);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> KallsymsTable.load(small, runOn))
        .isInstanceOf(org.ktriage.ingest.bin.MissingMemoryException.class)
        .hasMessageContaining("kallsyms_names runs past 64 MiB");
    assertThat((System.nanoTime() - start) / 1_000_000).as("ms").isLessThan(20_000);
  }

  /** {@code inner} with the u32 at {@code va} reading {@code value}. */
  private static org.ktriage.ingest.mm.KernelMemory patchedU32(
      org.ktriage.ingest.mm.KernelMemory inner, long va, int value) {
    return patchedU32At(inner, (va & ((1L << 40) - 1)) / 4096, (int) (va & 4095), value);
  }

  /**
   * {@code inner} with the u32 at offset {@code off} of page frame {@code pfn} reading {@code
   * value}.
   */
  private static org.ktriage.ingest.mm.KernelMemory patchedU32At(
      org.ktriage.ingest.mm.KernelMemory inner, long pfn, int off, int value) {
    org.ktriage.ingest.mm.PhysicalMemory p = inner.physical();
    org.ktriage.ingest.mm.PhysicalMemory patched =
        new org.ktriage.ingest.mm.PhysicalMemory() {
          @Override
          public int pageSize() {
            return 4096;
          }

          @Override
          public org.ktriage.ingest.mm.PageState readPage(long f, byte[] dst)
              throws java.io.IOException {
            var state = p.readPage(f, dst);
            if (f == pfn) {
              java.nio.ByteBuffer.wrap(dst)
                  .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                  .putInt(off, value);
            }
            return state;
          }

          @Override
          public long storedBytes() {
            return p.storedBytes();
          }

          @Override
          public long nextStoredPfn(long f, long limit) {
            return p.nextStoredPfn(f, limit);
          }

          @Override
          public java.util.List<String> problems() {
            return p.problems();
          }

          @Override
          public void close() {}
        };
    return new org.ktriage.ingest.mm.KernelMemory(patched, inner.translator());
  }

  /**
   * The real kernel's table, loaded from the VMCOREINFO entries, keeps its names compressed: naming
   * an address expands that symbol's name only (and the symbols at _stext's address, to pick the
   * address encoding); the index by name is made when a name is first looked up. Both give what a
   * full decode gives.
   */
  @Test
  void theKernelsNamesAreExpandedWhenAskedFor() throws Exception {
    java.nio.file.Path dump =
        java.nio.file.Path.of(
                java.util.Objects.requireNonNull(System.getProperty("ktriage.shared")))
            .resolve("lab/fixtures/timer-after-unload-kdump.vmcore");
    try (var v = org.ktriage.ingest.dump.Vmcore.open(dump)) {
      var info = java.util.Objects.requireNonNull(v.vmcoreinfo());
      var mem = v.kernelMemory();
      KallsymsTable.load(info, mem); // loads the classes, fills the page cache
      com.sun.management.ThreadMXBean threads =
          (com.sun.management.ThreadMXBean)
              java.lang.management.ManagementFactory.getThreadMXBean();
      long allocated = threads.getCurrentThreadAllocatedBytes();
      KallsymsTable t = KallsymsTable.load(info, mem);
      Long stext = info.symbol("_stext");
      KernelSymbol s = t.lookup(java.util.Objects.requireNonNull(stext) + 0x10);
      long lazy = threads.getCurrentThreadAllocatedBytes() - allocated;
      assertThat(s).isNotNull();
      assertThat(java.util.Objects.requireNonNull(s).address()).isEqualTo(stext);
      allocated = threads.getCurrentThreadAllocatedBytes();
      assertThat(t.addressOf("_stext")).isEqualTo(stext);
      long index = threads.getCurrentThreadAllocatedBytes() - allocated;
      assertThat(t.size()).isGreaterThan(50_000);
      // the compressed names and the addresses, against the expanded names and their index
      assertThat(lazy).as("bytes allocated to load and name one address").isLessThan(index);
      assertThat(t.addressOf("__run_timers")).isNotNull();
      assertThat(t.lookup(java.util.Objects.requireNonNull(t.addressOf("__run_timers")) + 1))
          .extracting(KernelSymbol::name)
          .isEqualTo("__run_timers");
    }
  }

  /**
   * Naming an address costs no name expansion beyond the one returned: the type letters {@code
   * lookup} asks of the aliases at an address are the first byte of each name's first token
   * (kernel/kallsyms.c {@code kallsyms_expand_symbol()} writes the type first), and once the names
   * were expanded for a lookup by name, every later lookup reads them from there.
   */
  @Test
  void namingAnAddressExpandsNoOtherName() throws Exception {
    java.nio.file.Path dump =
        java.nio.file.Path.of(
                java.util.Objects.requireNonNull(System.getProperty("ktriage.shared")))
            .resolve("lab/fixtures/timer-after-unload-kdump.vmcore");
    try (var v = org.ktriage.ingest.dump.Vmcore.open(dump)) {
      var info = java.util.Objects.requireNonNull(v.vmcoreinfo());
      KallsymsTable t = KallsymsTable.load(info, v.kernelMemory());
      java.util.List<KernelSymbol> all = t.symbols();
      long[] at = new long[all.size() / 8];
      for (int i = 0; i < at.length; i++) {
        at[i] = all.get(8 * i).address() + 1;
      }
      com.sun.management.ThreadMXBean threads =
          (com.sun.management.ThreadMXBean)
              java.lang.management.ManagementFactory.getThreadMXBean();
      long[] bytes = new long[2];
      java.util.List<java.util.List<String>> named = new java.util.ArrayList<>();
      for (int pass = 0; pass < 2; pass++) {
        KernelSymbol[] found = new KernelSymbol[at.length];
        t.lookup(at[0]); // loads the classes
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < at.length; i++) {
          found[i] = t.lookup(at[i]);
        }
        bytes[pass] = (threads.getCurrentThreadAllocatedBytes() - before) / at.length;
        java.util.List<String> names = new java.util.ArrayList<>(at.length);
        for (KernelSymbol s : found) {
          names.add(s == null ? "" : s.name() + s.type());
        }
        named.add(names);
        assertThat(t.addressOf("_stext")).isNotNull(); // expands the names, once
      }
      // a KernelSymbol and its name's String (113 bytes on average here); the type letters took a
      // String each and the expanded names were not used (196 and 161 bytes)
      assertThat(bytes[0]).as("bytes allocated per lookup, names compressed").isLessThan(140);
      assertThat(bytes[1]).as("bytes allocated per lookup, names expanded").isLessThan(140);
      assertThat(named.get(1)).isEqualTo(named.get(0));
      assertThat(named.get(0)).hasSizeGreaterThan(10_000);
    }
  }

  /**
   * {@code kallsyms_names} is read as far as the names go, a page first and then chunks doubling up
   * to 64 KiB: the real table cut after _stext + 1 024 symbols (as the kallsyms fuzz target cuts
   * it, a short table as a small kernel's) is loaded reading a few pages of names, where every load
   * read (and kept) 64 KiB at least.
   */
  @Test
  void aShortTableReadsTheNamesItHolds() throws Exception {
    java.nio.file.Path dump =
        java.nio.file.Path.of(
                java.util.Objects.requireNonNull(System.getProperty("ktriage.shared")))
            .resolve("lab/fixtures/timer-after-unload-kdump.vmcore");
    try (var v = org.ktriage.ingest.dump.Vmcore.open(dump)) {
      var info = java.util.Objects.requireNonNull(v.vmcoreinfo());
      var real = v.kernelMemory();
      java.util.List<KernelSymbol> all = KallsymsTable.load(info, real).symbols();
      int keep = 0;
      while (!all.get(keep).name().equals("_stext")) {
        keep++;
      }
      keep += 1024;
      long pa =
          real.translator()
              .toPhysical(java.util.Objects.requireNonNull(info.symbol("kallsyms_num_syms")));
      var cut = patchedU32At(real, pa / 4096, (int) (pa % 4096), keep);
      KallsymsTable.load(info, cut); // loads the classes, fills the page cache
      com.sun.management.ThreadMXBean threads =
          (com.sun.management.ThreadMXBean)
              java.lang.management.ManagementFactory.getThreadMXBean();
      long before = threads.getCurrentThreadAllocatedBytes();
      KallsymsTable t = KallsymsTable.load(info, cut);
      long bytes = threads.getCurrentThreadAllocatedBytes() - before;
      // 114 KB for 1 408 symbols here (names, offsets, addresses); its 128 KiB buffer and 64 KiB
      // chunk alone made every load allocate 192 KiB and more
      assertThat(bytes).as("bytes allocated to load %d symbols", keep).isLessThan(160 << 10);
      assertThat(t.size()).isEqualTo(keep);
      assertThat(t.symbols()).isEqualTo(all.subList(0, keep));
    }
  }
}
