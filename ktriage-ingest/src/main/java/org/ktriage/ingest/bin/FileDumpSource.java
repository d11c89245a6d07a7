package org.ktriage.ingest.bin;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A {@link DumpSource} over a file, read with positional {@link FileChannel} reads. */
public final class FileDumpSource implements DumpSource {
  private final String name;
  private final FileChannel channel;
  private final long size;

  private FileDumpSource(String name, FileChannel channel, long size) {
    this.name = name;
    this.channel = channel;
    this.size = size;
  }

  /** Opens the file read-only. */
  public static FileDumpSource open(Path path) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    try {
      return new FileDumpSource(path.toString(), ch, ch.size());
    } catch (RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public int read(long offset, byte[] dst, int dstOff, int len) throws IOException {
    if (offset < 0 || offset >= size || len <= 0) {
      return 0;
    }
    int want = (int) Math.min(len, size - offset);
    ByteBuffer buf = ByteBuffer.wrap(dst, dstOff, want);
    long pos = offset;
    while (buf.hasRemaining()) {
      int n = channel.read(buf, pos);
      if (n < 0) {
        break;
      }
      pos += n;
    }
    return (int) (pos - offset);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
