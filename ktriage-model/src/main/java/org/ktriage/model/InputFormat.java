package org.ktriage.model;

/** Input formats; the {@link #id()} strings are API (JSON {@code sources[].format}). */
public enum InputFormat {
  CRASH_SESSION("crash-session"),
  KERNEL_LOG("kernel-log"),
  VMCORE_ELF("vmcore-elf"),
  VMCORE_KDUMP("vmcore-kdump"),
  VMCORE_FLATTENED("vmcore-flattened"),
  KDUMP_DIRECTORY("kdump-directory"),
  UNKNOWN("unknown");

  private final String id;

  InputFormat(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** True for a memory dump: the kernel (or kexec'd capture kernel) wrote it because it crashed. */
  public boolean dump() {
    return this == VMCORE_ELF || this == VMCORE_KDUMP || this == VMCORE_FLATTENED;
  }
}
