package org.ktriage.testkit.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ktriage.model.LogRecord;
import org.ktriage.model.SourceSpan;

/** The runner's parts that decide pass or fail: floors, golden rows, invariants, labels. */
class CorpusRunnerPartsTest {

  private static Score score(String corpus, int titleRight, int titleViolations) {
    return new Score(
        corpus,
        10,
        titleRight,
        10,
        Map.of(Measure.TITLE, new int[] {titleRight, 10}),
        Map.of(Invariant.TITLE_PRIMARY, titleViolations, Invariant.FOUND_UNTITLED, 0));
  }

  @Test
  void floorsRatchetUpAndCeilingsDownNeverTheOtherWay(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("floors.tsv");
    Files.writeString(
        file, "c\ttitle\t80.0\nc\tright\t80.0\nc\tinv:title-primary\t4\n", StandardCharsets.UTF_8);
    Floors floors = Floors.read(file);
    List<String> hints = new ArrayList<>();
    assertThat(floors.check(score("c", 8, 4), hints)).isEmpty();
    assertThat(floors.check(score("c", 7, 4), hints))
        .anySatisfy(f -> assertThat(f).contains("title = 70.0% below its floor 80.0%"));
    assertThat(floors.check(score("c", 8, 5), hints))
        .anySatisfy(f -> assertThat(f).contains("inv:title-primary = 5 violations"));
    hints.clear();
    assertThat(floors.check(score("c", 9, 2), hints)).isEmpty();
    assertThat(hints).anySatisfy(h -> assertThat(h).contains("raise it"));

    String better = floors.ratcheted(List.of(score("c", 9, 2)));
    assertThat(better).contains("c\ttitle\t90.0\n", "c\tinv:title-primary\t2\n");
    String worse = floors.ratcheted(List.of(score("c", 7, 6)));
    assertThat(worse).contains("c\ttitle\t80.0\n", "c\tinv:title-primary\t4\n");
  }

  @Test
  void aCorpusWithFilesButNoFloorsFailsUntilRecorded(@TempDir Path dir) {
    Floors none = Floors.read(dir.resolve("absent.tsv"));
    assertThat(none.check(score("wild-tune", 6, 3), new ArrayList<>()))
        .singleElement()
        .satisfies(f -> assertThat(f).contains("no floors yet"));
    assertThat(none.check(new Score("wild-tune", 0, 0, 0, Map.of(), Map.of()), new ArrayList<>()))
        .isEmpty();
    String first = none.ratcheted(List.of(score("wild-tune", 6, 3)));
    assertThat(first).contains("wild-tune\ttitle\t60.0\n", "wild-tune\tinv:title-primary\t3\n");
    assertThat(first).doesNotContain("found-untitled"); // at zero: stays a hard invariant
  }

  @Test
  void titleFramesAreWhatFollowsTheLastIn() {
    assertThat(Invariant.titleFrames("KASAN: use-after-free Read in ip6_send_skb"))
        .containsExactly("ip6_send_skb");
    assertThat(Invariant.titleFrames("KCSAN: data-race in find_next_bit / rcu_report_exp_cpu_mult"))
        .containsExactly("find_next_bit", "rcu_report_exp_cpu_mult");
    assertThat(Invariant.titleFrames("BUG: unable to handle kernel paging request in corrupted"))
        .isEmpty();
    assertThat(Invariant.titleFrames("kernel panic: Fatal exception")).isEmpty();
    assertThat(Names.same("__x64_sys_socket+0x1f/0x30", "sys_socket")).isTrue();
    assertThat(Names.same("wdev_priv.part.8", "wdev_priv")).isTrue();
    assertThat(Names.same("run_timer_softirq", "__run_timers")).isFalse();
  }

  @Test
  void aPrimaryInlinedIntoTheTitledFunctionAgreesWithTheTitle() {
    // syzkaller guilty/33's trace (addr2line -i): the inlined functions at the return address
    // into cpu_map_update_elem are printed above its frame, innermost first
    List<LogRecord> log = new ArrayList<>();
    for (String text :
        List.of(
            "WARNING: CPU: 1 PID: 4183 at mm/util.c:403 kvmalloc_node+0xc3/0xd0 mm/util.c:403",
            " kvmalloc include/linux/mm.h:541 [inline]",
            " ptr_ring_init include/linux/ptr_ring.h:492 [inline]",
            " __cpu_map_entry_alloc kernel/bpf/cpumap.c:359 [inline]",
            " cpu_map_update_elem+0x3c3/0x8e0 kernel/bpf/cpumap.c:490",
            " map_update_elem kernel/bpf/syscall.c:698 [inline]",
            " SyS_bpf+0x215f/0x4860 kernel/bpf/syscall.c:1843")) {
      log.add(new LogRecord(log.size(), null, 4, null, text, SourceSpan.line("r", log.size())));
    }
    assertThat(Invariant.inlinedInto(log, "__cpu_map_entry_alloc", "cpu_map_update_elem")).isTrue();
    assertThat(Invariant.inlinedInto(log, "map_update_elem", "SyS_bpf")).isTrue();
    // inlined into another frame, or not inlined at all: a disagreement
    assertThat(Invariant.inlinedInto(log, "map_update_elem", "cpu_map_update_elem")).isFalse();
    assertThat(Invariant.inlinedInto(log, "cpu_map_update_elem", "SyS_bpf")).isFalse();
  }

  @Test
  void wildHeaderGivesTheLabelsAndTheBodyIsTheReportAlone() {
    String file =
        "SOURCE: https://example.org/thread\nCLASS: null-deref\nCULPRIT: foo_probe\nMODULE: \n"
            + "RULES: null-pointer-dereference\nTITLE: BUG: unable to handle kernel NULL pointer"
            + " dereference in foo_probe\n\n[    1.0] BUG: kernel NULL pointer dereference\n";
    Case c = Corpora.wildCase("tune/x.txt", file.getBytes(StandardCharsets.ISO_8859_1));
    assertThat(c.labels())
        .containsEntry(Measure.CLASS, "null-deref")
        .containsEntry(Measure.CULPRIT, "foo_probe")
        .containsEntry(Measure.RULES, "null-pointer-dereference")
        .containsEntry(Measure.FOUND, "yes")
        .doesNotContainKey(Measure.MODULE)
        // foo_probe is in the header only: the text cannot show it
        .doesNotContainKey(Measure.CULPRIT_SHOWN);
    assertThat(new String(c.text(), StandardCharsets.ISO_8859_1))
        .isEqualTo("[    1.0] BUG: kernel NULL pointer dereference\n");
  }

  @Test
  void culpritShownCountsOnlyCulpritsTheTextPrints() {
    // the body names the culprit as a frame with a clone suffix and as a syscall wrapper
    String file =
        "CLASS: bug\nCULPRIT: ext4_quota_write|sys_quotactl\n\n"
            + "[  5.1] kernel BUG at fs/ext4/inode.c:123!\n"
            + "[  5.1]  ext4_getblk+0x1c/0x200\n"
            + "[  5.1]  ext4_quota_write.isra.0+0x91/0x1a0\n";
    Case shown = Corpora.wildCase("tune/a.txt", file.getBytes(StandardCharsets.ISO_8859_1));
    assertThat(shown.labels())
        .containsEntry(Measure.CULPRIT_SHOWN, "ext4_quota_write|sys_quotactl");
    String wrapper = file.replace("ext4_quota_write.isra.0", "__x64_sys_quotactl");
    assertThat(
            Corpora.wildCase("tune/b.txt", wrapper.getBytes(StandardCharsets.ISO_8859_1)).labels())
        .containsKey(Measure.CULPRIT_SHOWN);
    // a longer identifier that contains the name is not the name
    String longer = file.replace("ext4_quota_write.isra.0", "ext4_quota_write_inode");
    assertThat(
            Corpora.wildCase("tune/c.txt", longer.getBytes(StandardCharsets.ISO_8859_1)).labels())
        .containsKey(Measure.CULPRIT)
        .doesNotContainKey(Measure.CULPRIT_SHOWN);
  }
}
