package org.ktriage.analysis.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.ktriage.model.FailureClass;

/**
 * A symbolized trace (addr2line -i) prints the functions the compiler inlined at a frame's address
 * above the frame: the innermost one that is not a header helper or a table frame is the code that
 * faulted or made the failing call. Real syzkaller reports of the shared corpus.
 */
class InlinedCallersTest {

  private static Primary primaryOf(String shared) throws Exception {
    return Objects.requireNonNull(PrimaryChoice.choose(Inputs.facts(shared)));
  }

  @Test
  void aWarnInTheAllocatorBlamesTheInlinedFunctionThatAskedForTheSize() throws Exception {
    // syzkaller guilty/33: "WARNING: … at mm/util.c:403 kvmalloc_node" (a size kvmalloc refuses);
    // kvmalloc, kvmalloc_array, ptr_ring_init (headers) were inlined into
    // __cpu_map_entry_alloc (kernel/bpf/cpumap.c:359), itself inlined into cpu_map_update_elem
    Primary p = primaryOf("corpus/syzkaller/guilty/33");
    assertThat(p.failureClass()).isEqualTo(FailureClass.WARNING);
    assertThat(p.function()).isEqualTo("__cpu_map_entry_alloc");
  }

  @Test
  void aLeakBlamesTheInlinedFunctionThatAllocated() throws Exception {
    // syzkaller guilty/47: kmemleak's backtrace "kmalloc include/linux/slab.h:557 [inline]" above
    // usb_alloc_urb (an allocator), then "atusb_alloc_urbs drivers/net/ieee802154/atusb.c:362
    // [inline]" above atusb_probe+0x158: the urbs were allocated by atusb_alloc_urbs()
    Primary p = primaryOf("corpus/syzkaller/guilty/47");
    assertThat(p.failureClass()).isEqualTo(FailureClass.MEMORY_LEAK);
    assertThat(p.function()).isEqualTo("atusb_alloc_urbs");
  }

  @Test
  void headerHelpersInlinedAtTheFaultAreNeverTheCulprit() throws Exception {
    // syzkaller guilty/3: "RIP: 0010:css_put include/linux/cgroup.h:354 [inline]" and cgroup_put
    // (the same header) above "RIP: 0010:cgroup_fd_array_put_ptr+0x88/0x370": the header's
    // reference helpers are passed over, the function that handed them the cgroup stays
    Primary p = primaryOf("corpus/syzkaller/guilty/3");
    assertThat(p.failureClass()).isEqualTo(FailureClass.NULL_DEREF);
    assertThat(p.function()).isEqualTo("cgroup_fd_array_put_ptr");
  }
}
