package org.ktriage.ingest.kernel;

import org.ktriage.ingest.UnreadableInputException;

/** A kernel symbol the reader needs is not in the symbol table. */
public class MissingKernelSymbolException extends UnreadableInputException {
  private static final long serialVersionUID = 1L;

  public MissingKernelSymbolException(String name, String why) {
    super("kernel symbol " + name + " not found (needed for " + why + ")");
  }
}
