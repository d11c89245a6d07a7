package org.ktriage.ingest;

import java.io.IOException;

/**
 * An input that cannot be read at all; the message is one line naming the input and what was seen
 * (and the offset, for binary inputs).
 */
public class UnreadableInputException extends IOException {
  private static final long serialVersionUID = 1L;

  public UnreadableInputException(String message) {
    super(message);
  }

  public UnreadableInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
