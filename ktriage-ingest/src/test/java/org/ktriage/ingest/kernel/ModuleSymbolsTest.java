package org.ktriage.ingest.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Module symbols read from {@code struct module} and module ORC tables, checked against {@code
 * crash} 8.0.6 with the debug vmlinux and the modules' own ELF files on the same real kdump (the
 * repository's {@code lab/fixtures/hung-mutex-kdump.vmcore}): the sleeping kthreads' stacks run
 * through the lab module's functions into {@code kthread}, and {@code crash} prints those frames as
 * {@code func at addr [module]}.
 */
class ModuleSymbolsTest {
  private static final Pattern FRAME =
      Pattern.compile("^\\s*#\\d+ \\[([0-9a-f]+)\\] (\\S+) at ([0-9a-f]+)( \\[\\S+\\])?$");

  private static Path repo(String rel) {
    Path p =
        Path.of(Objects.requireNonNull(System.getProperty("ktriage.root"), "ktriage.root"))
            .resolve(rel);
    assertThat(p).exists();
    return p;
  }

  /** A frame line without its number ({@code #4 }). */
  private static String unnumbered(String line) {
    return line.strip().replaceFirst("^#\\d+ ", "");
  }

  /** crash's frame lines for the task with this pid in a {@code foreach bt} output. */
  private static List<String> crashFrames(List<String> lines, int pid) {
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String l : lines) {
      if (l.startsWith("PID: ")) {
        in = l.startsWith("PID: " + pid + " ");
      } else if (in && FRAME.matcher(l).matches()) {
        out.add(unnumbered(l));
      }
    }
    return out;
  }

  @Test
  void sleepingTasksUnwindThroughModuleFramesAsCrashShowsThem() throws Exception {
    List<String> ref =
        Files.readAllLines(repo("lab/out/hung-mutex-kdump/crash-trixie-foreach-UN-bt.txt"));
    try (DumpViews v = DumpViews.open(repo("lab/fixtures/hung-mutex-kdump.vmcore"))) {
      for (int pid : new int[] {112, 113}) {
        List<String> expected = crashFrames(ref, pid);
        assertThat(expected).anyMatch(l -> l.endsWith("[lab_hung_mutex]"));
        List<String> ours = new ArrayList<>();
        for (String l : v.bt(pid)) {
          if (FRAME.matcher(l).matches()) {
            ours.add(unnumbered(l));
          }
        }
        if (pid == 113) {
          assertThat(ours).as("bt %d", pid).isEqualTo(expected);
        } else {
          // lab_mtx_owner_fn ends in a call to the noreturn lab_mtx_hold_forever, so its return
          // address is the first byte after it. ORC (looked up at ip - 1, as unwind_orc.c does)
          // unwinds through that frame and names it by ip - 1 as the kernel's %pB does; crash 8.0.6
          // drops the frame. Every frame crash shows is ours, in order, plus that one.
          assertThat(ours)
              .as("bt %d", pid)
              .containsSubsequence(expected)
              .hasSize(expected.size() + 1)
              .contains("[ffffd2e8803cbf10] lab_mtx_owner_fn at ffffffffc03c906b [lab_hung_mutex]");
        }
      }
    }
  }

  @Test
  void moduleSymbolsResolveLikeCrashSym() throws Exception {
    List<String> ref =
        Files.readAllLines(repo("lab/out/hung-mutex-kdump/crash-trixie-foreach-UN-bt.txt"));
    try (DumpViews v = DumpViews.open(repo("lab/fixtures/hung-mutex-kdump.vmcore"))) {
      int checked = 0;
      for (String l : ref) {
        Matcher m = FRAME.matcher(l);
        if (!m.matches() || m.group(4) == null) {
          continue;
        }
        long ip = Long.parseUnsignedLong(m.group(3), 16);
        KernelSymbol s = Objects.requireNonNull(v.kernel().symbols().symbolize(ip));
        assertThat(s.name()).isEqualTo(m.group(2));
        assertThat(" [" + s.module() + "]").isEqualTo(m.group(4));
        assertThat(s.type()).isIn('t', 'T');
        assertThat(v.sym(ip).get(0)).endsWith(m.group(4)).contains(" " + m.group(2) + "+");
        checked++;
      }
      assertThat(checked).isEqualTo(3);
      // the module's functions by name, as /proc/kallsyms lists them
      assertThat(v.kernel().symbols().address("lab_mtx_waiter_fn")).isNotNull();
      // a core-kernel address stays a core-kernel symbol
      KernelSymbol kthread =
          Objects.requireNonNull(
              v.kernel()
                  .symbols()
                  .symbolize(Objects.requireNonNull(v.kernel().findSymbol("kthread"))));
      assertThat(kthread.module()).isNull();
    }
  }
}
