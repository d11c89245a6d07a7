package org.ktriage.ingest.insn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.ktriage.ingest.bin.MissingMemoryException;
import org.ktriage.ingest.dump.Vmcore;
import org.ktriage.ingest.kallsyms.KallsymsTable;
import org.ktriage.ingest.mm.KernelMemory;

/**
 * The decoders against binutils' objdump on real kernel code: every faulting instruction of the
 * syzkaller corpus and the lab console logs ({@code Code:} lines), and every instruction of
 * stretches of the kernel text read from the lab dump through our own dump reader.
 */
class DecoderDifferentialTest {
  private static final Pattern CODE = Pattern.compile("Code: (.*)$");

  /** Where the decoder and objdump agree and where they do not. */
  private static final class Score {
    int total;
    int decoded;
    int sameLength;
    int sameText;
    int memoryOperands;
    final List<String> differences = new ArrayList<>();

    void compare(@Nullable DecodedInstruction d, Objdump.Line ref) {
      total++;
      if (d == null) {
        return;
      }
      decoded++;
      if (d.length() == ref.length()) {
        sameLength++;
      }
      String ours = Objdump.normalize(d.text());
      if (ours.equals(ref.text())) {
        sameText++;
        if (!d.memory().isEmpty()) {
          memoryOperands++;
        }
      } else if (differences.size() < 40
          && differences.stream().noneMatch(x -> x.startsWith(ref.text()))) {
        differences.add(
            ref.text() + "  <>  " + ours + " (len " + ref.length() + "/" + d.length() + ")");
      }
    }

    @Override
    public String toString() {
      return String.format(
          "%d instructions, %d decoded, %d same length, %d same text (%d with memory operands)",
          total, decoded, sameLength, sameText, memoryOperands);
    }
  }

  private static Path shared(String relative) {
    String root = System.getProperty("ktriage.shared");
    assertThat(root).as("system property ktriage.shared").isNotNull();
    return Path.of(root == null ? "." : root, relative);
  }

  private static List<String> codeLines(Path dir, String fileName) throws IOException {
    List<String> out = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files =
          s.filter(Files::isRegularFile)
              .filter(p -> fileName.isEmpty() || p.getFileName().toString().equals(fileName))
              .sorted()
              .toList();
    }
    for (Path f : files) {
      String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
      boolean arm64 = text.contains("pstate: ");
      for (String line : text.split("\n")) {
        Matcher m = CODE.matcher(line);
        if (m.find()) {
          out.add((arm64 ? "A " : "X ") + m.group(1));
        }
      }
    }
    return out;
  }

  /**
   * Each x86 faulting instruction in its own 32-byte slot (at most 15 bytes, then NOPs), so
   * objdump's linear sweep restarts at every slot.
   */
  @Test
  void faultingInstructionsOfCodeLinesMatchObjdump() throws Exception {
    List<String> lines = new ArrayList<>();
    lines.addAll(codeLines(shared("corpus/syzkaller/report"), ""));
    lines.addAll(codeLines(shared("lab/out"), "console.log"));
    ByteArrayOutputStream slots = new ByteArrayOutputStream();
    List<byte[]> samples = new ArrayList<>();
    for (String l : lines) {
      if (!l.startsWith("X ")) {
        continue;
      }
      FaultingInstructions.CodeBytes cb = FaultingInstructions.parse(l.substring(2), false);
      if (cb == null) {
        continue;
      }
      byte[] slot = new byte[32];
      Arrays.fill(slot, (byte) 0x90);
      int n = Math.min(15, cb.bytes().length - cb.faultOffset());
      System.arraycopy(cb.bytes(), cb.faultOffset(), slot, 0, n);
      samples.add(Arrays.copyOf(cb.bytes(), 0));
      samples.set(samples.size() - 1, Arrays.copyOfRange(slot, 0, n));
      slots.write(slot);
    }
    long vma = 0xffffffff81000000L;
    List<Objdump.Line> ref = Objdump.x86(slots.toByteArray(), vma);
    Score score = new Score();
    for (Objdump.Line r : ref) {
      long off = r.address() - vma;
      if (off % 32 != 0) {
        continue;
      }
      byte[] sample = samples.get((int) (off / 32));
      if (r.length() > sample.length) {
        continue; // the Code: line ended inside the instruction
      }
      score.compare(X86Decoder.decode(sample, 0, r.address()), r);
    }
    System.out.println("Code: lines (x86-64): " + score);
    score.differences.forEach(d -> System.out.println("  " + d));
    assertThat(score.total).isGreaterThan(250);
    assertThat(score.sameLength).isEqualTo(score.decoded);
    assertThat((double) score.decoded / score.total).isGreaterThan(0.95);
    assertThat((double) score.sameText / score.decoded).isGreaterThan(0.98);
  }

  /** Every word of every arm64 {@code Code:} line that is a load, store or atomic. */
  @Test
  void arm64CodeLinesMatchObjdump() throws Exception {
    ByteArrayOutputStream words = new ByteArrayOutputStream();
    for (String l : codeLines(shared("corpus/syzkaller/report"), "")) {
      if (!l.startsWith("A ")) {
        continue;
      }
      for (String t : l.substring(2).strip().split("\\s+")) {
        String h = t.replace("(", "").replace(")", "");
        if (h.length() != 8) {
          continue;
        }
        int w = Integer.parseUnsignedInt(h, 16);
        words.write(new byte[] {(byte) w, (byte) (w >>> 8), (byte) (w >>> 16), (byte) (w >>> 24)});
      }
    }
    byte[] bytes = words.toByteArray();
    long vma = 0xffff800008000000L;
    Score score = new Score();
    int loadsAndStores = 0;
    for (Objdump.Line r : Objdump.arm64(bytes, vma)) {
      int off = (int) (r.address() - vma);
      int w =
          (bytes[off] & 0xff)
              | (bytes[off + 1] & 0xff) << 8
              | (bytes[off + 2] & 0xff) << 16
              | (bytes[off + 3] & 0xff) << 24;
      DecodedInstruction d = Arm64Decoder.decode(w, r.address());
      if (d != null && !d.memory().isEmpty()) {
        loadsAndStores++;
      }
      if (d != null) {
        score.compare(d, r);
      }
    }
    System.out.println("Code: lines (arm64): " + score + ", " + loadsAndStores + " loads/stores");
    score.differences.forEach(d -> System.out.println("  " + d));
    assertThat(loadsAndStores).isGreaterThan(10);
    assertThat(score.sameText).isEqualTo(score.decoded);
  }

  /**
   * Random words from the A64 load/store encoding space (op0 = x1x0, Arm ARM C4.1), fixed seed:
   * every word the decoder takes must print as objdump prints it.
   */
  @Test
  void arm64LoadStoreSpaceMatchesObjdump() throws Exception {
    java.util.Random random = new java.util.Random(15);
    int count = 60_000;
    byte[] bytes = new byte[count * 4];
    for (int i = 0; i < count; i++) {
      int w = (random.nextInt() | 0x08000000) & ~0x02000000;
      bytes[4 * i] = (byte) w;
      bytes[4 * i + 1] = (byte) (w >>> 8);
      bytes[4 * i + 2] = (byte) (w >>> 16);
      bytes[4 * i + 3] = (byte) (w >>> 24);
    }
    long vma = 0xffff800008000000L;
    Score score = new Score();
    for (Objdump.Line r : Objdump.arm64(bytes, vma)) {
      int off = (int) (r.address() - vma);
      int w =
          (bytes[off] & 0xff)
              | (bytes[off + 1] & 0xff) << 8
              | (bytes[off + 2] & 0xff) << 16
              | (bytes[off + 3] & 0xff) << 24;
      score.compare(Arm64Decoder.decode(w, r.address()), r);
    }
    System.out.println("load/store space (arm64): " + score);
    score.differences.forEach(d -> System.out.println("  " + d));
    assertThat(score.decoded).isGreaterThan(count / 3);
    assertThat((double) score.sameText / score.decoded).isGreaterThan(0.999);
  }

  /** Stretches of the 6.1 kernel's text read from the lab dump, at objdump's boundaries. */
  @Test
  void kernelTextOfLabDumpMatchesObjdump() throws Exception {
    Score score = new Score();
    try (Vmcore v = Vmcore.open(shared("lab/fixtures/timer-after-unload-kdump.vmcore"))) {
      KernelMemory km = v.kernelMemory();
      KallsymsTable syms = v.kallsyms();
      String[] starts = {
        "_stext",
        "__run_timers",
        "memcpy",
        "memset",
        "copy_user_generic_string",
        "_raw_spin_lock",
        "kmem_cache_alloc",
        "__list_del_entry_valid",
        "do_sys_openat2",
        "tcp_sendmsg_locked",
        "ext4_file_write_iter",
        "schedule"
      };
      for (String name : starts) {
        Long a = syms.addressOf(name);
        if (a == null) {
          continue;
        }
        int len = name.equals("_stext") ? 256 * 1024 : 32 * 1024;
        byte[] text;
        try {
          text = km.readExact(a, len, name);
        } catch (MissingMemoryException e) {
          continue;
        }
        for (Objdump.Line r : Objdump.x86(text, a)) {
          int off = (int) (r.address() - a);
          if (off + r.length() > text.length - 16) {
            break;
          }
          if (r.text().startsWith("(bad)")) {
            continue;
          }
          score.compare(X86Decoder.decode(text, off, r.address()), r);
        }
      }
    }
    System.out.println("kernel text (x86-64): " + score);
    score.differences.forEach(d -> System.out.println("  " + d));
    assertThat(score.total).isGreaterThan(50_000);
    assertThat(score.sameLength).isEqualTo(score.decoded);
    assertThat((double) score.decoded / score.total).isGreaterThan(0.9);
    assertThat((double) score.sameText / score.decoded).isGreaterThan(0.98);
  }
}
