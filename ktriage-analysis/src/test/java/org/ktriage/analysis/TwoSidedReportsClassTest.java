package org.ktriage.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.model.Diagnosis;

/**
 * Reports that say two things, on real reports of the wild corpus (docs/class-conventions.md): a
 * #GP that KASAN decodes to a NULL pointer plus an offset, a soft lockup inside kfree()'s kmemleak
 * bookkeeping.
 */
class TwoSidedReportsClassTest {

  private static Diagnosis ofWild(String name) throws Exception {
    return new Analyzer()
        .analyze(Ingest.read(List.of(Path.of("../corpus/wild/tune/" + name)), Strictness.LENIENT));
  }

  @Test
  void anIndentedKasanNullPtrDerefLineStillMakesTheGpfANullDeref() throws Exception {
    // a paste indented by two spaces: "  KASAN: null-ptr-deref in range [0x0-0x7]"
    Diagnosis d =
        ofWild("5.x-x86_64-syzbot-wireguard-index-hashtable-replace-unhashed-race-gpf.txt");
    assertThat(d.failureClass().id()).isEqualTo("null-deref");
    // the title stays syzkaller's
    assertThat(d.title()).isEqualTo("general protection fault in wg_index_hashtable_replace");
  }

  @Test
  void aKasanUserMemoryAccessRangeBelow64KiBIsANullDeref() throws Exception {
    // "KASAN: probably user-memory-access in range [0x1948-0x194f]": a member 0x1948 bytes into a
    // NULL hid_device
    Diagnosis d = ofWild("6.x-x86_64-kunit-hid-uclogic-cleanup-event-hooks-null-hdev-gpf.txt");
    assertThat(d.failureClass().id()).isEqualTo("null-deref");
  }

  @Test
  void aKasanRangeAbove64KiBKeepsTheGpf() throws Exception {
    // syzkaller report/514: "probably user-memory-access in range [0x77777780-…]" is no NULL
    // pointer plus a member offset
    Diagnosis d =
        new Analyzer()
            .analyze(
                Ingest.read(
                    List.of(Shared.file("corpus/syzkaller/report/514")), Strictness.LENIENT));
    assertThat(d.failureClass().id()).isEqualTo("gpf");
  }

  @Test
  void aStallWithoutAHardwareErrorStaysAStall() throws Exception {
    Diagnosis d =
        ofWild("6.x-arm64-io-uring-try-cancel-requests-iopoll-loop-no-resched-rcu-stall.txt");
    assertThat(d.failureClass().id()).isEqualTo("rcu-stall");
  }

  @Test
  void kmemleaksBookkeepingInsideKfreeIsTheAllocatorNotTheCulprit() throws Exception {
    // soft lockup at find_and_remove_object <- delete_object_full <- kfree <- __io_remove_buffers
    Diagnosis d =
        ofWild("5.x-x86_64-io-uring-remove-buffers-two-million-list-soft-lockup-syslogd.txt");
    assertThat(d.failureClass().id()).isEqualTo("soft-lockup");
    assertThat(java.util.Objects.requireNonNull(d.primary()).function())
        .isEqualTo("__io_remove_buffers");
  }
}
