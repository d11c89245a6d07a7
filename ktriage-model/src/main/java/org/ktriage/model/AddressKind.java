package org.ktriage.model;

/** What region of the address space an address falls in; {@link #id()} is API. */
public enum AddressKind {
  NULL_PAGE("null-page"),
  USER("user"),
  NON_CANONICAL("non-canonical"),
  POISON("poison"),
  DIRECT_MAP("direct-map"),
  VMALLOC("vmalloc"),
  VMEMMAP("vmemmap"),
  KASAN_SHADOW("kasan-shadow"),
  CPU_ENTRY_AREA("cpu-entry-area"),
  KERNEL_TEXT("kernel-text"),
  MODULE_AREA("module-area"),
  FIXMAP("fixmap"),
  VSYSCALL("vsyscall"),
  UNKNOWN("unknown");

  private final String id;

  AddressKind(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}
