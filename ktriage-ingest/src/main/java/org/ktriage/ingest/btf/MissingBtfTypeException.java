package org.ktriage.ingest.btf;

import org.ktriage.ingest.UnreadableInputException;

/** A type or member the caller needs is not described by this kernel's BTF. */
public class MissingBtfTypeException extends UnreadableInputException {
  private static final long serialVersionUID = 1L;

  public MissingBtfTypeException(String message) {
    super(message);
  }
}
