package org.ktriage.ingest.btf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;
import org.tukaani.xz.XZInputStream;

/** Loads the xz-compressed BTF test resources (see resources/btf/README.md). */
public final class BtfFixtures {
  private static byte @Nullable [] vmlinux618;

  private BtfFixtures() {}

  public static synchronized byte[] vmlinux618() {
    byte[] blob = vmlinux618;
    if (blob == null) {
      blob = unxz("/btf/vmlinux-6.18.btf.xz");
      vmlinux618 = blob;
    }
    return blob;
  }

  public static byte[] unxz(String resource) {
    try (InputStream raw = BtfFixtures.class.getResourceAsStream(resource)) {
      if (raw == null) {
        throw new IllegalStateException("test resource " + resource + " is missing");
      }
      try (InputStream in = new XZInputStream(raw)) {
        return in.readAllBytes();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
