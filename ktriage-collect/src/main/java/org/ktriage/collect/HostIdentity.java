package org.ktriage.collect;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Who sends: the host name (the service's {@code host}), the systemd machine id ({@code
 * /etc/machine-id}, stable across reinstalls of the same image only when regenerated — kept as
 * evidence, not as the bucket key) and the release running now (the crashed kernel's release comes
 * from the diagnosis).
 *
 * @param hostname the node name ({@code /proc/sys/kernel/hostname}), reduced to what the service
 *     accepts ({@code [A-Za-z0-9._:-]})
 * @param machineId the 32-hex-digit machine id, or null
 * @param runningRelease {@code uname -r} of the collecting kernel, or null
 */
public record HostIdentity(
    String hostname, @Nullable String machineId, @Nullable String runningRelease) {
  private static final Pattern NOT_HOST = Pattern.compile("[^A-Za-z0-9._:-]");

  /** This host, as the kernel and systemd name it. */
  public static HostIdentity current() {
    String name = firstLine(Path.of("/proc/sys/kernel/hostname"));
    if (name == null) {
      try {
        name = InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        name = "localhost";
      }
    }
    return new HostIdentity(
        cleanHost(name),
        firstLine(Path.of("/etc/machine-id")),
        firstLine(Path.of("/proc/sys/kernel/osrelease")));
  }

  /** A host name the service accepts: other characters become '-', at most 253 of them. */
  public static String cleanHost(String name) {
    String h = NOT_HOST.matcher(name.strip()).replaceAll("-");
    while (h.startsWith("-") || h.startsWith(".") || h.startsWith(":")) {
      h = h.substring(1);
    }
    if (h.isEmpty()) {
      return "localhost";
    }
    return h.length() > 253 ? h.substring(0, 253) : h;
  }

  private static @Nullable String firstLine(Path p) {
    try {
      if (!Files.isReadable(p)) {
        return null;
      }
      String s = Files.readString(p, StandardCharsets.UTF_8).strip();
      int nl = s.indexOf('\n');
      s = nl < 0 ? s : s.substring(0, nl);
      return s.isEmpty() ? null : s;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
