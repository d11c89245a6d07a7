package org.ktriage.ingest.kallsyms;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ktriage.ingest.dump.Vmcore;
import org.ktriage.ingest.mm.KernelMemory;
import org.ktriage.ingest.vmcoreinfo.VmcoreInfo;

/**
 * The kallsyms tables found by structure in the kernel image, with the VMCOREINFO kallsyms entries
 * ignored, are the tables the entries point at: every symbol, name, type and address.
 */
class KallsymsScannerTest {
  private static Path shared(String rel) {
    return Path.of(Objects.requireNonNull(System.getProperty("ktriage.shared"))).resolve(rel);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "lab/fixtures/timer-after-unload-kdump.vmcore",
        "lab/fixtures/timer-after-unload-qemu.vmcore"
      })
  void scanFindsTheSameSymbolsAsTheNote(String dump) throws Exception {
    try (Vmcore v = Vmcore.open(shared(dump))) {
      KernelMemory km = v.kernelMemory();
      VmcoreInfo vi = Objects.requireNonNull(v.vmcoreinfo());
      KallsymsTable note = v.kallsyms();
      Long offset = vi.kernelOffset();
      long imageStart = 0xffffffff81000000L + (offset == null ? 0 : offset);
      // without _stext the scanner must pick the address encoding by itself
      KallsymsTable scanned = KallsymsScanner.scan(km, imageStart, null);
      assertThat(scanned).as("tables found in %s", dump).isNotNull();
      assertThat(Objects.requireNonNull(scanned).size()).isEqualTo(note.size());
      assertThat(scanned.symbols()).isEqualTo(note.symbols());
      assertThat(note.size()).isGreaterThan(50_000);
    }
  }

  /** A System.map (unslid addresses) given to the dump yields the note's symbols, slid by KASLR. */
  @org.junit.jupiter.api.Test
  void systemMapTakesThePlaceOfTheNote(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    try (Vmcore v = Vmcore.open(shared("lab/fixtures/timer-after-unload-kdump.vmcore"))) {
      KallsymsTable note = v.kallsyms();
      Long offset = Objects.requireNonNull(v.vmcoreinfo()).kernelOffset();
      long slide = offset == null ? 0 : offset;
      StringBuilder map = new StringBuilder();
      for (KernelSymbol s : note.symbols()) {
        if (Long.compareUnsigned(s.address(), 0xffffffff80000000L) >= 0) {
          map.append(String.format("%016x %c %s%n", s.address() - slide, s.type(), s.name()));
        }
      }
      Path file = tmp.resolve("System.map");
      java.nio.file.Files.writeString(file, map);
      v.useSystemMap(file);
      KallsymsTable fromMap = v.kallsyms();
      assertThat(fromMap.addressOf("__run_timers")).isEqualTo(note.addressOf("__run_timers"));
      assertThat(fromMap.size()).isGreaterThan(note.size() / 2);
    }
  }
}
