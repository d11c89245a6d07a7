package org.ktriage.ingest.bin;

import org.ktriage.ingest.UnreadableInputException;

/** A well-formed dump in a variant this reader does not handle (architecture, word size, …). */
public class UnsupportedDumpException extends UnreadableInputException {
  private static final long serialVersionUID = 1L;

  public UnsupportedDumpException(String message) {
    super(message);
  }
}
