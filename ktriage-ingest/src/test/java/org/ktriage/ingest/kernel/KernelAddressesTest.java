package org.ktriage.ingest.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What addresses are, on the repository's real kdump {@code lab/fixtures/hung-mutex-kdump.vmcore},
 * checked against {@code crash} 8.0.6 with the debug vmlinux on the same dump: every task {@code
 * ps} lists is a {@code task_struct} slab object (the first idle task the kernel image's {@code
 * init_task}), every stack slot {@code bt} prints lies on that task's stack, module code and data
 * belong to the module {@code mod} lists.
 */
class KernelAddressesTest {
  private static final Pattern PS_ROW =
      Pattern.compile("^>?\\s+(\\d+)\\s+\\d+\\s+\\d+\\s+([0-9a-f]{16})\\s+\\S+.*\\s(\\S+)$");
  private static final Pattern BT_FRAME =
      Pattern.compile("^\\s*#\\d+ \\[([0-9a-f]+)\\] (\\S+) at ([0-9a-f]+)( \\[\\S+\\])?$");

  private static Path repo(String rel) {
    Path p =
        Path.of(Objects.requireNonNull(System.getProperty("ktriage.root"), "ktriage.root"))
            .resolve(rel);
    assertThat(p).exists();
    return p;
  }

  @Test
  void tasksStacksAndModulesAreWhatCrashSaysTheyAre() throws Exception {
    List<String> ps = Files.readAllLines(repo("lab/out/hung-mutex-kdump/crash-trixie-ps.txt"));
    List<String> bt =
        Files.readAllLines(repo("lab/out/hung-mutex-kdump/crash-trixie-foreach-UN-bt.txt"));
    try (DumpViews v = DumpViews.open(repo("lab/fixtures/hung-mutex-kdump.vmcore"))) {
      KernelAddresses where = new KernelAddresses(v.kernel(), v.modules(), v.tasks());
      int tasks = 0;
      for (String l : ps) {
        Matcher m = PS_ROW.matcher(l);
        if (!m.matches()) {
          continue;
        }
        long task = Long.parseUnsignedLong(m.group(2), 16);
        AddressOwner o = where.classify(task + 8);
        if (tasks == 0) {
          assertThat(o.kind()).isEqualTo(AddressOwner.Kind.KERNEL_IMAGE);
          assertThat(o.owner()).isEqualTo("init_task");
        } else {
          assertThat(o.kind()).as(l).isEqualTo(AddressOwner.Kind.SLAB_ALLOCATED);
          assertThat(o.owner()).isEqualTo("task_struct");
          assertThat(o.start()).isEqualTo(task);
        }
        tasks++;
      }
      assertThat(tasks).isGreaterThan(50);

      int pid = -1;
      int slots = 0;
      for (String l : bt) {
        if (l.startsWith("PID: ")) {
          pid = Integer.parseInt(l.substring(5).trim().split("\\s+", 2)[0]);
          continue;
        }
        Matcher m = BT_FRAME.matcher(l);
        if (!m.matches()) {
          continue;
        }
        AddressOwner slot = where.classify(Long.parseUnsignedLong(m.group(1), 16));
        assertThat(slot.kind()).isEqualTo(AddressOwner.Kind.TASK_STACK);
        assertThat(slot.owner()).startsWith(pid + " ");
        AddressOwner ip = where.classify(Long.parseUnsignedLong(m.group(3), 16));
        if (m.group(4) != null) {
          assertThat(ip.kind()).isEqualTo(AddressOwner.Kind.MODULE);
          assertThat(" [" + ip.owner() + "]").isEqualTo(m.group(4));
        } else {
          assertThat(ip.kind()).isEqualTo(AddressOwner.Kind.KERNEL_IMAGE);
        }
        slots++;
      }
      assertThat(slots).isEqualTo(15);

      // the mutex the module's own message names lives in the module's data
      String console = Files.readString(repo("lab/out/hung-mutex-kdump/console.log"));
      Matcher mutex = Pattern.compile("holds lab_mutex ([0-9a-f]{16})").matcher(console);
      assertThat(mutex.find()).isTrue();
      AddressOwner lock = where.classify(Long.parseUnsignedLong(mutex.group(1), 16));
      assertThat(lock.kind()).isEqualTo(AddressOwner.Kind.MODULE);
      assertThat(lock.description()).contains("lab_mutex+0x0");

      // the page below a vmalloc'ed stack is its guard page; the module area past every module is
      // free; user and poison values are what they are
      KernelTask waiter = v.tasks().stream().filter(t -> t.pid() == 113).findFirst().orElseThrow();
      assertThat(where.classify(waiter.stackBase() - 8).kind())
          .isEqualTo(AddressOwner.Kind.STACK_GUARD);
      assertThat(where.classify(0x6b6b6b6b6b6b6b6bL).kind())
          .isEqualTo(AddressOwner.Kind.NON_CANONICAL);
      assertThat(where.classify(0x1000).kind()).isEqualTo(AddressOwner.Kind.USER);
      long end = Long.MIN_VALUE;
      for (LoadedModule m : v.modules()) {
        for (ModuleRegion r : m.regions()) {
          if (r.size() > 0) { // the init region is empty once init has run
            end = Math.max(end, r.base() + r.size());
          }
        }
      }
      assertThat(where.classify(end + (1 << 20)).kind())
          .isEqualTo(AddressOwner.Kind.FREED_MODULE_AREA);
    }
  }
}
