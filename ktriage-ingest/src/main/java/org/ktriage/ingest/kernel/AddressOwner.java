package org.ktriage.ingest.kernel;

import org.jspecify.annotations.Nullable;

/**
 * What an address in a dump is, as {@code crash}'s {@code kmem ADDR} says it: its kind, the thing
 * that owns it (a slab cache, a task, a module, a symbol), the start of the object or region
 * holding it, and one sentence for people.
 *
 * @param owner the cache name, {@code pid comm}, module name or symbol; null when nothing owns it
 * @param start the object, stack or region start (equal to the address when unknown)
 */
public record AddressOwner(
    long address, Kind kind, @Nullable String owner, long start, String description) {

  /** The kinds of places an address can be. */
  public enum Kind {
    /** The kernel image (text or data), named by its symbol. */
    KERNEL_IMAGE,
    /** Memory of a loaded module. */
    MODULE,
    /** The module area where no loaded module is: a module that was unloaded, or never was. */
    FREED_MODULE_AREA,
    /** A task's kernel stack. */
    TASK_STACK,
    /** The unmapped guard page just below a task's vmalloc'ed stack: a stack overflow. */
    STACK_GUARD,
    /** An object of a slab cache that is allocated. */
    SLAB_ALLOCATED,
    /** An object of a slab cache that is free (on a slab or per-CPU freelist). */
    SLAB_FREE,
    /** A slab page outside its objects (padding, metadata). */
    SLAB_OTHER,
    /** A direct-map page that is not a slab page. */
    PAGE,
    /** The vmalloc/ioremap area, not a task stack. */
    VMALLOC,
    /** The struct page array. */
    VMEMMAP,
    /** A user-space address. */
    USER,
    /** Not a canonical x86_64 address (a poison or corrupted pointer). */
    NON_CANONICAL,
    /** None of the above could be told. */
    UNKNOWN
  }
}
