package org.ktriage.ingest.insn;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs binutils' objdump on raw bytes, the reference for the decoders' differential tests. {@code
 * ./run-tests} installs binutils (x86-64) and binutils-aarch64-linux-gnu when they are missing.
 */
final class Objdump {
  private Objdump() {}

  /** One instruction as objdump prints it. */
  record Line(long address, int length, String text) {}

  private static final Pattern LINE =
      Pattern.compile("^\\s*([0-9a-f]+):\\t((?:[0-9a-f]{2} ?)+)\\s*(?:\\t(.*))?$");
  private static final Pattern WORD_LINE =
      Pattern.compile("^\\s*([0-9a-f]+):\\t([0-9a-f]{8})\\s+\\t?(.*)$");

  static String x86Tool() {
    return tool("objdump");
  }

  static String arm64Tool() {
    return tool("aarch64-linux-gnu-objdump");
  }

  private static String tool(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, name))) {
        return Path.of(dir, name).toString();
      }
    }
    fail(name + " is not installed: ./run-tests installs it (binutils)");
    throw new AssertionError();
  }

  /** Disassembles {@code bytes} loaded at {@code vma}; x86-64 lines joined across continuations. */
  static List<Line> x86(byte[] bytes, long vma) throws IOException, InterruptedException {
    List<String> out = run(x86Tool(), "i386:x86-64", bytes, vma);
    List<Line> lines = new ArrayList<>();
    for (String l : out) {
      Matcher m = LINE.matcher(l);
      if (!m.matches()) {
        continue;
      }
      long addr = Long.parseUnsignedLong(m.group(1), 16);
      int n = m.group(2).strip().split(" ").length;
      String text = m.group(3);
      if (text == null) {
        if (!lines.isEmpty()) {
          Line last = lines.remove(lines.size() - 1);
          lines.add(new Line(last.address(), last.length() + n, last.text()));
        }
        continue;
      }
      lines.add(new Line(addr, n, normalize(text)));
    }
    return lines;
  }

  /** Disassembles little-endian A64 words loaded at {@code vma}. */
  static List<Line> arm64(byte[] bytes, long vma) throws IOException, InterruptedException {
    List<String> out = run(arm64Tool(), "aarch64", bytes, vma);
    List<Line> lines = new ArrayList<>();
    for (String l : out) {
      Matcher m = WORD_LINE.matcher(l);
      if (m.matches()) {
        lines.add(new Line(Long.parseUnsignedLong(m.group(1), 16), 4, normalize(m.group(3))));
      }
    }
    return lines;
  }

  /** Single spaces, no {@code # comment} and no {@code // comment}. */
  static String normalize(String text) {
    String t = text;
    int hash = t.indexOf(" # ");
    if (hash < 0) {
      hash = t.indexOf("\t# ");
    }
    if (hash >= 0) {
      t = t.substring(0, hash);
    }
    int slash = t.indexOf("//");
    if (slash >= 0) {
      t = t.substring(0, slash);
    }
    return t.strip().replaceAll("\\s+", " ").replace(", ", ",");
  }

  private static List<String> run(String tool, String machine, byte[] bytes, long vma)
      throws IOException, InterruptedException {
    Path in = Files.createTempFile("ktriage-objdump-", ".bin");
    Path out = Files.createTempFile("ktriage-objdump-", ".txt");
    try {
      Files.write(in, bytes);
      Process p =
          new ProcessBuilder(
                  tool,
                  "-D",
                  "-b",
                  "binary",
                  "-m",
                  machine,
                  "-z",
                  "--adjust-vma=0x" + Long.toHexString(vma),
                  in.toString())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        fail(tool + " did not finish in 5 minutes");
      }
      return Files.readAllLines(out, StandardCharsets.ISO_8859_1);
    } finally {
      Files.deleteIfExists(in);
      Files.deleteIfExists(out);
    }
  }
}
