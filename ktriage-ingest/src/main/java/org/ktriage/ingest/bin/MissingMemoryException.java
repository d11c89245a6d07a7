package org.ktriage.ingest.bin;

import org.ktriage.ingest.UnreadableInputException;

/**
 * Memory the reader needed is not in the dump (filtered by the dump level, outside every stored
 * range, unmapped, or unreadable); the message says which address and why.
 */
public class MissingMemoryException extends UnreadableInputException {
  private static final long serialVersionUID = 1L;

  public MissingMemoryException(String message) {
    super(message);
  }
}
