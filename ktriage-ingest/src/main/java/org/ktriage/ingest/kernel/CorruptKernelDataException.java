package org.ktriage.ingest.kernel;

import org.ktriage.ingest.UnreadableInputException;

/** Kernel data in the dump that contradicts itself (a list that loops, an absurd size, ...). */
public class CorruptKernelDataException extends UnreadableInputException {
  private static final long serialVersionUID = 1L;

  public CorruptKernelDataException(String message) {
    super(message);
  }
}
