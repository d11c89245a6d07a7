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
}
