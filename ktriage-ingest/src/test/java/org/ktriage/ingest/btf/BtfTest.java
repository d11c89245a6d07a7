package org.ktriage.ingest.btf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BtfTest {
  private static Btf btf;

  @BeforeAll
  static void load() throws Exception {
    btf = Btf.parse(BtfFixtures.vmlinux618(), "vmlinux-6.18.btf");
  }

  @Test
  void rawDumpEqualsBpftoolLineByLine() throws Exception {
    String expected =
        new String(
            BtfFixtures.unxz("/btf/vmlinux-6.18.bpftool-raw.txt.xz"), StandardCharsets.UTF_8);
    StringBuilder actual = new StringBuilder(expected.length());
    BtfRawDump.write(btf, actual);
    String[] want = expected.split("\n", -1);
    String[] got = actual.toString().split("\n", -1);
    for (int i = 0; i < Math.min(want.length, got.length); i++) {
      assertThat(got[i]).as("line %d", i + 1).isEqualTo(want[i]);
    }
    assertThat(got.length).isEqualTo(want.length);
  }

  @Test
  void nameIndexFindsEveryNamedTypeInIdOrder() {
    // the lazy index against a plain scan: every name of the real kernel's 126 000 types
    Map<String, List<Integer>> scan = new HashMap<>();
    for (int id = 1; id <= btf.lastId(); id++) {
      scan.computeIfAbsent(btf.type(id).name(), k -> new ArrayList<>()).add(id);
    }
    scan.remove("");
    assertThat(scan).hasSizeGreaterThan(50_000);
    scan.forEach(
        (name, ids) ->
            assertThat(btf.findAll(name).stream().map(BtfType::id).toList())
                .as(name)
                .isEqualTo(ids));
    assertThat(btf.findAll("no_such_type_in_any_kernel")).isEmpty();
  }

  @Test
  void memberByNameIsTheFirstMemberOfThatName() {
    int checked = 0;
    for (int id = 1; id <= btf.lastId(); id++) {
      BtfType t = btf.type(id);
      if (!t.isComposite()) {
        continue;
      }
      List<BtfMember> all = btf.members(t);
      for (BtfMember m : all) {
        if (!m.name().isEmpty()) {
          BtfMember first = all.stream().filter(x -> x.name().equals(m.name())).findFirst().get();
          assertThat(btf.member(t, m.name())).as("%s.%s", t, m.name()).isEqualTo(first);
          checked++;
        }
      }
      assertThat(btf.anonymousMembers(t))
          .isEqualTo(all.stream().filter(x -> x.name().isEmpty()).toList());
      assertThat(btf.member(t, "no_such_member")).isNull();
    }
    assertThat(checked).isGreaterThan(50_000);
  }

  @Test
  void countsEveryKindLikeBpftool() {
    Map<BtfKind, Integer> counts = new EnumMap<>(BtfKind.class);
    for (int id = 1; id <= btf.lastId(); id++) {
      counts.merge(btf.type(id).kind(), 1, Integer::sum);
    }
    assertThat(btf.lastId()).isEqualTo(126572);
    assertThat(counts)
        .containsEntry(BtfKind.STRUCT, 10679)
        .containsEntry(BtfKind.ENUM64, 9)
        .containsEntry(BtfKind.DECL_TAG, 205)
        .containsEntry(BtfKind.TYPE_TAG, 1)
        .containsEntry(BtfKind.DATASEC, 1)
        .containsEntry(BtfKind.FLOAT, 1)
        .containsEntry(BtfKind.FUNC, 56257);
  }

  @Test
  void listHeadIsNextThenPrev() throws Exception {
    BtfStruct listHead = btf.struct("list_head");
    assertThat(listHead.size()).isEqualTo(16);
    assertThat(listHead.offset("next")).isZero();
    assertThat(listHead.offset("prev")).isEqualTo(8);
    assertThat(listHead.member("next").resolved().kind()).isEqualTo(BtfKind.PTR);
  }

  @Test
  void taskCommIsSixteenChars() throws Exception {
    BtfField comm = btf.struct("task_struct").member("comm");
    assertThat(comm.resolved().kind()).isEqualTo(BtfKind.ARRAY);
    assertThat(comm.size()).isEqualTo(16);
    BtfArray array = btf.array(comm.resolved());
    assertThat(btf.resolve(array.elementTypeId()).name()).isEqualTo("char");
    assertThat(array.elementCount()).isEqualTo(16);
  }

  /**
   * Readers ask every task_struct they read for the same fields (KernelView keeps one BtfStruct per
   * name): a path is looked up once, not by comparing the names of task_struct's members again for
   * each task (most of the kernel-object fuzzer's time went there).
   */
  @Test
  void memberPathsAreLookedUpOnce() throws Exception {
    BtfStruct task = btf.struct("task_struct");
    BtfField first = task.member("signal");
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long allocated = threads.getCurrentThreadAllocatedBytes();
    int same = 0;
    for (int i = 0; i < 100_000; i++) {
      same += task.member("signal") == first ? 1 : 0;
    }
    allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
    assertThat(same).isEqualTo(100_000);
    assertThat(task.findMember("no_such_member")).isNull();
    assertThat(task.findMember("no_such_member")).isNull();
    // no path walk, no new BtfField per lookup (a walk allocates a few hundred bytes)
    assertThat(allocated / 100_000).as("bytes per lookup").isLessThan(64);
  }

  @Test
  void nestedPathsAddOffsets() throws Exception {
    BtfStruct task = btf.struct("task_struct");
    long tasks = task.offset("tasks");
    assertThat(task.offset("tasks.next")).isEqualTo(tasks);
    assertThat(task.offset("tasks.prev")).isEqualTo(tasks + 8);
    // 6.18 stores the state in __state (renamed from state in 5.14): probe, do not assume.
    assertThat(task.hasMember("__state")).isTrue();
    assertThat(task.hasMember("state")).isFalse();
    assertThat(task.findMember("tasks.nonexistent")).isNull();
    assertThatThrownBy(() -> task.member("no_such_member"))
        .isInstanceOf(MissingBtfTypeException.class)
        .hasMessageContaining("task_struct has no member no_such_member");
  }

  @Test
  void bitfieldsCarryBitOffsetAndWidth() throws Exception {
    BtfField f = btf.struct("task_struct").member("sched_reset_on_fork");
    assertThat(f.isBitfield()).isTrue();
    assertThat(f.bitfieldSize()).isEqualTo(1);
    assertThat(f.bitOffset()).isEqualTo(9504);
    assertThat(f.byteOffset()).isEqualTo(1188);
  }

  @Test
  void moduleLayoutOfThisKernel() throws Exception {
    BtfStruct module = btf.struct("module");
    assertThat(module.size()).isEqualTo(768);
    assertThat(module.offset("list")).isEqualTo(8);
    assertThat(module.offset("name")).isEqualTo(24);
    assertThat(module.member("name").size()).isEqualTo(56);
    // 6.4+ keeps ranges in mem[MOD_TEXT]; core_layout is gone.
    assertThat(module.hasMember("mem")).isTrue();
    assertThat(module.hasMember("core_layout")).isFalse();
    BtfField text = module.member("mem[0].base");
    BtfField data = module.member("mem[1].base");
    assertThat(data.byteOffset() - text.byteOffset()).isEqualTo(btf.struct("module_memory").size());
    assertThat(btf.enumValue("MOD_TEXT")).isEqualTo(0L);
    assertThat(btf.enumValue("MODULE_STATE_GOING")).isEqualTo(2L);
  }

  @Test
  void anonymousMembersAreFoundByName() throws Exception {
    // timer_list.function is a direct member; hlist_node pprev sits inside entry.
    BtfStruct timer = btf.struct("timer_list");
    assertThat(timer.hasMember("function")).isTrue();
    assertThat(timer.offset("entry.pprev")).isEqualTo(timer.offset("entry") + 8);
    // page has its members in anonymous unions of structs.
    BtfStruct page = btf.struct("page");
    assertThat(page.hasMember("lru")).isTrue();
  }

  @Test
  void enum64ValuesAreUnsigned64Bit() {
    BtfType t = btf.type(13059);
    assertThat(t.kind()).isEqualTo(BtfKind.ENUM64);
    assertThat(btf.enumerators(t).get(0).name()).isEqualTo("BPF_F_INDEX_MASK");
    assertThat(btf.enumerators(t).get(0).value()).isEqualTo(0xffffffffL);
  }

  @Test
  void missingStructIsAOneLineError() {
    assertThatThrownBy(() -> btf.struct("no_such_struct"))
        .isInstanceOf(MissingBtfTypeException.class)
        .hasMessage("vmlinux-6.18.btf: no struct no_such_struct in BTF");
  }
}
