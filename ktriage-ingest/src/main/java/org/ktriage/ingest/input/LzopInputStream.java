package org.ktriage.ingest.input;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.lzo.LzoDecompressor;
import java.io.IOException;
import java.io.InputStream;
import org.ktriage.ingest.UnreadableInputException;

/**
 * The content of an lzop file (what the {@code lzop} tool writes, src/lzop.c and p_lzo.c of lzop
 * 1.0x; all integers big-endian): the 9-byte magic {@code 89 4c 5a 4f 00 0d 0a 1a 0a}; a header of
 * u16 version, u16 library version, u16 version needed (version 0x0940 and later), u8 method (1-3:
 * LZO1X), u8 level (0x0940 and later), u32 flags, u32 filter (flag F_H_FILTER), u32 mode, u32
 * mtime, u32 mtime high (0x0940 and later), u8 name length and the name, u32 header checksum, and
 * an extra field (flag F_H_EXTRA_FIELD: u32 length, the field, u32 checksum); then blocks of u32
 * uncompressed length (0: end), u32 compressed length, the checksums the flags ask for (of the
 * uncompressed data, and of the compressed data when it is smaller) and the data, stored when both
 * lengths are equal. Checksums are not verified; lengths are checked before anything is allocated.
 */
final class LzopInputStream extends BlockInputStream {
  static final byte[] MAGIC = {(byte) 0x89, 'L', 'Z', 'O', 0, '\r', '\n', 0x1a, '\n'};

  /** lzop's own limit on a block (MAX_BLOCK_SIZE, src/conf.h): 64 MiB. */
  private static final int MAX_BLOCK = 64 << 20;

  private static final int F_ADLER32_D = 0x1;
  private static final int F_ADLER32_C = 0x2;
  private static final int F_H_EXTRA_FIELD = 0x40;
  private static final int F_CRC32_D = 0x100;
  private static final int F_CRC32_C = 0x200;
  private static final int F_MULTIPART = 0x400;
  private static final int F_H_FILTER = 0x800;

  private final LzoDecompressor decompressor = new LzoDecompressor();
  private int flags;
  private boolean header;

  LzopInputStream(InputStream in) {
    super(in);
  }

  /** Decodes the next block; false after the end-of-file block. */
  @Override
  boolean fill() throws IOException {
    if (!header) {
      header();
      header = true;
    }
    long uncompressed = u32();
    if (uncompressed == 0) {
      return false;
    }
    if (uncompressed > MAX_BLOCK) {
      throw corrupt("block of " + uncompressed + " bytes exceeds lzop's maximum of " + MAX_BLOCK);
    }
    long compressed = u32();
    if (compressed > uncompressed || compressed == 0) {
      throw corrupt(
          "block of "
              + compressed
              + " compressed bytes for "
              + uncompressed
              + " (1 to the uncompressed length expected)");
    }
    skip(checksums(F_ADLER32_D, F_CRC32_D));
    if (compressed < uncompressed) {
      skip(checksums(F_ADLER32_C, F_CRC32_C));
    }
    byte[] data = bytes((int) compressed);
    if (compressed == uncompressed) {
      block = data;
      limit = data.length;
    } else {
      if (block.length < uncompressed) {
        block = new byte[(int) uncompressed];
      }
      try {
        limit = decompressor.decompress(data, 0, data.length, block, 0, (int) uncompressed);
      } catch (MalformedInputException e) {
        throw corrupt("block does not decompress: " + e.getMessage());
      }
      if (limit != uncompressed) {
        throw corrupt("block decompresses to " + limit + " bytes, " + uncompressed + " expected");
      }
    }
    pos = 0;
    return true;
  }

  /** Bytes of the checksums a block carries for one of its data, per the header's flags. */
  private int checksums(int adler32, int crc32) {
    return ((flags & adler32) != 0 ? 4 : 0) + ((flags & crc32) != 0 ? 4 : 0);
  }

  /** Reads the magic and the file header, keeping its flags. */
  private void header() throws IOException {
    byte[] magic = bytes(MAGIC.length);
    for (int i = 0; i < MAGIC.length; i++) {
      if (magic[i] != MAGIC[i]) {
        throw corrupt("no lzop magic at offset 0");
      }
    }
    int version = u16();
    u16(); // the library version
    boolean v0940 = version >= 0x0940;
    if (v0940) {
      u16(); // the version needed to extract
    }
    int method = u8();
    if (method < 1 || method > 3) {
      throw new UnreadableInputException(
          "lzop method " + method + " is not read (1 to 3, LZO1X, expected)");
    }
    if (v0940) {
      u8(); // the level
    }
    flags = (int) u32();
    if ((flags & F_MULTIPART) != 0) {
      throw new UnreadableInputException("multi-part lzop file is not read");
    }
    skip(((flags & F_H_FILTER) != 0 ? 4 : 0) + 4 + 4 + (v0940 ? 4 : 0)); // filter, mode, mtime
    skip(u8()); // the name
    skip(4); // the header checksum
    if ((flags & F_H_EXTRA_FIELD) != 0) {
      long extra = u32();
      if (extra > MAX_BLOCK) {
        throw corrupt("extra field of " + extra + " bytes");
      }
      skip((int) extra + 4);
    }
  }

  private int u8() throws IOException {
    return bytes(1)[0] & 0xff;
  }

  private int u16() throws IOException {
    byte[] b = bytes(2);
    return (b[0] & 0xff) << 8 | (b[1] & 0xff);
  }

  private long u32() throws IOException {
    byte[] b = bytes(4);
    return (b[0] & 0xffL) << 24 | (b[1] & 0xffL) << 16 | (b[2] & 0xffL) << 8 | (b[3] & 0xffL);
  }

  private void skip(int n) throws IOException {
    bytes(n);
  }

  /** Exactly {@code n} bytes (n at most {@link #MAX_BLOCK}), or a corrupt-data error. */
  private byte[] bytes(int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw corrupt("file cut short (" + b.length + " of " + n + " bytes)");
    }
    return b;
  }

  private static UnreadableInputException corrupt(String what) {
    return new UnreadableInputException("corrupt lzop data: " + what);
  }
}
