package org.ktriage.testkit.dump;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An ELF note to write: name, type and descriptor.
 *
 * @param name note name without NUL
 * @param type note type
 * @param desc descriptor bytes
 */
@SuppressWarnings("ArrayRecordComponent") // written out once, never compared
public record Note(String name, int type, byte[] desc) {
  /** Encodes notes as Elf64_Nhdr + name + desc, each padded to 4 bytes. */
  public static byte[] encode(List<Note> notes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Note n : notes) {
      byte[] name = (n.name() + "\0").getBytes(StandardCharsets.ISO_8859_1);
      LittleEndianOut.u32(out, name.length);
      LittleEndianOut.u32(out, n.desc().length);
      LittleEndianOut.u32(out, n.type());
      out.writeBytes(name);
      LittleEndianOut.pad(out, name.length, 4);
      out.writeBytes(n.desc());
      LittleEndianOut.pad(out, n.desc().length, 4);
    }
    return out.toByteArray();
  }
}
