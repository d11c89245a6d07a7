package org.ktriage.analysis.address;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ktriage.model.AddressKind;
import org.ktriage.model.KernelInfo;
import org.ktriage.model.MemoryLayout;

/** Address kinds for the 3.10 era (seed), the 6.1 era (lab) and magic values (formats.md §6). */
class AddressClassifierTest {

  private static AddressClassifier era(String release) {
    return AddressClassifier.forKernel(
        new KernelInfo(release, null, "x86_64", null, null, null, MemoryLayout.unknown()));
  }

  @Test
  void seedEraAddresses() {
    AddressClassifier c = era("3.10.0-514.26.2.el7.x86_64");
    assertThat(c.classify(0xffffffffa88b53b0L)).isEqualTo(AddressKind.MODULE_AREA);
    assertThat(c.classify(0xffff88007b90c000L)).isEqualTo(AddressKind.DIRECT_MAP);
    assertThat(c.classify(0xffffffff81098a68L)).isEqualTo(AddressKind.KERNEL_TEXT);
    assertThat(c.classify(0xffffea0001234560L)).isEqualTo(AddressKind.VMEMMAP);
    assertThat(c.classify(0xffffc90000a07ff8L)).isEqualTo(AddressKind.VMALLOC);
  }

  @Test
  void labEraAddresses() {
    AddressClassifier c = era("6.1.0-56-amd64");
    assertThat(c.classify(0xffffffffc02853c8L)).isEqualTo(AddressKind.MODULE_AREA);
    // A KASLR kernel image above 0xffffffffa0000000 is text, not modules, on 4.x+.
    assertThat(c.classify(0xffffffffa5c0ffeeL)).isEqualTo(AddressKind.KERNEL_TEXT);
    assertThat(c.classify(0xffff888004b2a000L)).isEqualTo(AddressKind.DIRECT_MAP);
    assertThat(c.classify(0x8L)).isEqualTo(AddressKind.NULL_PAGE);
    assertThat(c.classify(0x00007ffe7723c1d8L)).isEqualTo(AddressKind.USER);
    assertThat(c.classify(0x6b6b6b6b6b6b6b73L)).isEqualTo(AddressKind.POISON);
    assertThat(c.classify(0xdead000000000122L)).isEqualTo(AddressKind.POISON);
    assertThat(c.classify(0x1234567812345678L)).isEqualTo(AddressKind.NON_CANONICAL);
    assertThat(c.classify(0xfffffe0000001000L)).isEqualTo(AddressKind.CPU_ENTRY_AREA);
    assertThat(c.classify(0xffffffffff600000L)).isEqualTo(AddressKind.VSYSCALL);
    assertThat(c.classify(0xffffec0000000000L)).isEqualTo(AddressKind.KASAN_SHADOW);
  }

  @Test
  void knownLayoutWins() {
    AddressClassifier c =
        AddressClassifier.forKernel(
            new KernelInfo(
                "6.1.0",
                null,
                "x86_64",
                null,
                null,
                null,
                new MemoryLayout(
                    0xffff9c0000000000L,
                    0xffffb30000000000L,
                    0xffffe20000000000L,
                    0x1e000000L,
                    null,
                    null,
                    false)));
    assertThat(c.classify(0xffff9c1a3b2a1e00L)).isEqualTo(AddressKind.DIRECT_MAP);
    assertThat(c.classify(0xffffb3c8c0d4fe68L)).isEqualTo(AddressKind.VMALLOC);
  }

  @Test
  void poisonNames() {
    assertThat(AddressClassifier.poison(0xdead000000000122L).orElseThrow().name())
        .isEqualTo("LIST_POISON2");
    assertThat(AddressClassifier.poison(0xdead000000000100L).orElseThrow().name())
        .isEqualTo("LIST_POISON1");
    assertThat(AddressClassifier.poison(0xdead0000000000e8L).orElseThrow().name())
        .isEqualTo("LIST_POISON1 ± member offset");
    assertThat(AddressClassifier.poison(0xdffffc0000000006L).orElseThrow().name())
        .startsWith("KASAN shadow");
    assertThat(AddressClassifier.poison(0xffff88007b90c000L)).isEmpty();
    // arm64 prints the fault address untagged (bit 55 sign-extended over the top byte): the lab's
    // arm64 use-after-free faulted at 006b6b6b6b6b6b73; a member further in changes a second byte
    assertThat(AddressClassifier.poison(0x006b6b6b6b6b6b73L).orElseThrow().name())
        .startsWith("POISON_FREE");
    assertThat(AddressClassifier.poison(0x006b6b6b6b6b6c0bL).orElseThrow().name())
        .startsWith("POISON_FREE");
    assertThat(AddressClassifier.poison(0xffaaaaaaaaaa1234L).orElseThrow().name())
        .startsWith("PAGE_POISON");
    // a user address that merely contains the byte keeps its meaning
    assertThat(AddressClassifier.poison(0x00006b6b6b6b6c0bL)).isEmpty();
  }
}
