package org.ktriage.ingest.bin;

import org.ktriage.ingest.UnreadableInputException;

/** A dump whose bytes contradict its own format: the message names the file and the offset. */
public class CorruptDumpException extends UnreadableInputException {
  private static final long serialVersionUID = 1L;

  public CorruptDumpException(String message) {
    super(message);
  }

  public CorruptDumpException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A message of the form {@code <file>: <what> at offset <n>: <detail>}. */
  public static CorruptDumpException at(String file, long offset, String what) {
    return new CorruptDumpException(file + ": " + what + " at offset " + offset);
  }
}
