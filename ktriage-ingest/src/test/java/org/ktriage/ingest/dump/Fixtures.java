package org.ktriage.ingest.dump;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tukaani.xz.XZInputStream;

/** Locates the real dumps of {@code ../shared/lab/fixtures} and the generated variants. */
final class Fixtures {
  private static @org.jspecify.annotations.Nullable Path elf;

  private Fixtures() {}

  static Path shared(String relative) {
    String base = System.getProperty("ktriage.shared");
    if (base == null) {
      fail("system property ktriage.shared is not set (surefire sets it to ../shared)");
    }
    Path p = Path.of(base).resolve(relative);
    if (!Files.isReadable(p)) {
      fail(
          "missing shared file "
              + p
              + ": the lab fixtures are needed (see shared/lab/fixtures/README.md)");
    }
    return p;
  }

  static Path kdumpVmcore() {
    return shared("lab/fixtures/timer-after-unload-kdump.vmcore");
  }

  static Path qemuVmcore() {
    return shared("lab/fixtures/timer-after-unload-qemu.vmcore");
  }

  static Path kdumpDmesg() {
    return shared("lab/fixtures/timer-after-unload-kdump.dmesg.txt");
  }

  static Path qemuCrashLog() {
    return shared("lab/fixtures/timer-after-unload-qemu.crash-log.txt");
  }

  /** The kdump ELF, xz-decompressed once per JVM into a temporary file. */
  static synchronized Path kdumpElf() throws IOException {
    Path cached = elf;
    if (cached == null) {
      Path xz = shared("lab/fixtures/timer-after-unload-kdump.elf.xz");
      Path tmp = Files.createTempFile("ktriage-kdump-", ".elf");
      tmp.toFile().deleteOnExit();
      try (InputStream in = new XZInputStream(new BufferedInputStream(Files.newInputStream(xz)));
          OutputStream out = Files.newOutputStream(tmp)) {
        in.transferTo(out);
      }
      elf = tmp;
      cached = tmp;
    }
    return cached;
  }

  /** Directory of dumps made by make-compressed-fixtures.sh. */
  static Path generatedDir() {
    String d = System.getProperty("ktriage.generatedFixtures");
    if (d == null) {
      d = "/tmp/ktriage-fixtures";
    }
    return Path.of(d);
  }

  /** A generated dump, or a failure naming the command that makes it. */
  static Path generated(String name) {
    Path p = generatedDir().resolve(name);
    if (!Files.isReadable(p)) {
      String root = System.getProperty("ktriage.root", ".");
      fail(
          "missing generated dump "
              + p
              + "; make it with: sh "
              + root
              + "/ktriage-ingest/src/test/resources/make-compressed-fixtures.sh "
              + generatedDir()
              + " (needs makedumpfile and xz)");
    }
    return p;
  }
}
