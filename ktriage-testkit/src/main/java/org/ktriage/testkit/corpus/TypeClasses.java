package org.ktriage.testkit.corpus;

import java.util.Map;
import java.util.Set;

/**
 * syzkaller's crash TYPE (the class its rules derive from a title) → the classes of ours that agree
 * with it: the label of the syzkaller corpus's class measure and the class/title invariant.
 */
public final class TypeClasses {
  private TypeClasses() {}

  private static final Set<String> MEMORY =
      Set.of("out-of-bounds", "use-after-free", "page-fault", "null-deref");

  static final Map<String, Set<String>> AGREES =
      Map.ofEntries(
          Map.entry(
              "HANG", Set.of("rcu-stall", "hung-task", "soft-lockup", "hard-lockup", "deadlock")),
          Map.entry(
              "DoS",
              Set.of(
                  "gpf",
                  "stack-overflow",
                  "divide-error",
                  "explicit-panic",
                  "page-fault",
                  "null-deref",
                  "bug",
                  "invalid-opcode",
                  "hung-task",
                  "sysrq-crash",
                  // a #GP whose operand is slab poison names what it is: a use of a freed object
                  "use-after-free",
                  // arm/arm64 die() for BUG() ("Internal error: Oops - BUG:") is a "bug"; in list
                  // debugging's __list_*_valid it is list corruption, as under the BUG type
                  "list-corruption",
                  // SLUB's "Object already free" (syzkaller files it under DoS) and a BUG() in
                  // its freelist check are a second free
                  "double-free")),
          // spinlock_debug's "bad magic", "already unlocked", "wrong owner/CPU" are lock misuse
          // bugs (an uninitialised or overwritten lock) that syzkaller files under LOCKDEP
          Map.entry("LOCKDEP", Set.of("deadlock", "warning", "sleep-in-atomic", "bug")),
          Map.entry(
              "MEMORY_SAFETY_BUG",
              Set.of("page-fault", "null-deref", "list-corruption", "gpf", "use-after-free")),
          Map.entry("KASAN-READ", MEMORY),
          Map.entry("KASAN-WRITE", MEMORY),
          Map.entry("KASAN-USE-AFTER-FREE-READ", Set.of("use-after-free")),
          Map.entry("KASAN-USE-AFTER-FREE-WRITE", Set.of("use-after-free")),
          Map.entry("KASAN-INVALID-FREE", Set.of("double-free")),
          Map.entry("KASAN-NULL-POINTER-DEREFERENCE-READ", Set.of("null-deref")),
          // a BUG() in SLUB's freelist check (set_freepointer's BUG_ON(object == fp)) is a second
          // free, as a BUG() in __list_*_valid is list corruption
          Map.entry("BUG", Set.of("bug", "list-corruption", "double-free")),
          Map.entry("WARNING", Set.of("warning", "list-corruption", "deadlock")),
          Map.entry("NULL-POINTER-DEREFERENCE", Set.of("null-deref")),
          Map.entry("LEAK", Set.of("memory-leak")),
          Map.entry("REFCOUNT_WARNING", Set.of("warning", "use-after-free")),
          Map.entry("ATOMIC_SLEEP", Set.of("sleep-in-atomic")),
          Map.entry("UBSAN", Set.of("undefined-behavior", "out-of-bounds")),
          Map.entry("MEMORY_SAFETY_UBSAN", Set.of("out-of-bounds", "undefined-behavior")),
          Map.entry("KMSAN-UNINIT-VALUE", Set.of("uninit-value")),
          Map.entry("KMSAN-INFO-LEAK", Set.of("uninit-value")),
          Map.entry("KCSAN-DATARACE", Set.of("data-race")),
          Map.entry("KCSAN-ASSERT", Set.of("data-race")),
          Map.entry("KFENCE-USE-AFTER-FREE-READ", Set.of("use-after-free")),
          Map.entry("KFENCE-READ", Set.of("out-of-bounds", "page-fault")),
          Map.entry("KFENCE-WRITE", Set.of("out-of-bounds", "page-fault")),
          Map.entry("KFENCE-INVALID-FREE", Set.of("double-free")),
          Map.entry("KFENCE-MEMORY-CORRUPTION", Set.of("out-of-bounds")),
          Map.entry("SYZ_FAILURE", Set.of("unknown")),
          Map.entry("REBOOT", Set.of("unknown")));

  /** The classes agreeing with a TYPE, {@code |}-joined in a stable order; throws when unmapped. */
  public static String label(String type) {
    Set<String> s = AGREES.get(type);
    if (s == null) {
      throw new IllegalArgumentException("syzkaller TYPE without a class mapping: " + type);
    }
    return String.join("|", s.stream().sorted().toList());
  }
}
