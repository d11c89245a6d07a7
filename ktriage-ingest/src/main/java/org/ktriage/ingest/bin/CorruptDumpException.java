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

  /**
   * A message of the form {@code <file>: <what> at offset <n>: <detail>}, where {@code what} is
   * {@code "<what>: <detail>"} or just {@code "<what>"}.
   */
  public static CorruptDumpException at(String file, long offset, String what) {
    int c = what.indexOf(": ");
    String msg =
        c < 0
            ? what + " at offset " + offset
            : what.substring(0, c) + " at offset " + offset + what.substring(c);
    return new CorruptDumpException(file + ": " + msg);
  }
}
