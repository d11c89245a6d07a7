package org.ktriage.ingest.elf;

/**
 * One ELF note: {@code Elf64_Nhdr} (namesz u32, descsz u32, type u32) followed by the name and the
 * descriptor, each padded to 4 bytes.
 *
 * @param name note name without its trailing NUL ({@code CORE}, {@code VMCOREINFO}, {@code QEMU})
 * @param type note type ({@code 1} NT_PRSTATUS, …)
 * @param desc descriptor bytes
 * @param fileOffset file offset of the note header, for messages
 */
@SuppressWarnings("ArrayRecordComponent") // raw bytes read once, never compared
public record ElfNote(String name, int type, byte[] desc, long fileOffset) {
  /** NT_PRSTATUS. */
  public static final int NT_PRSTATUS = 1;

  /** True for a {@code CORE}/NT_PRSTATUS note. */
  public boolean isPrstatus() {
    return name.equals("CORE") && type == NT_PRSTATUS;
  }
}
