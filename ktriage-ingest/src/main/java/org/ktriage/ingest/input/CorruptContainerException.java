package org.ktriage.ingest.input;

import org.ktriage.ingest.UnreadableInputException;

/**
 * A compressed container (gzip, xz, zstd, bzip2, lz4) whose data is corrupt before its first
 * inflated byte: nothing of what it holds can be read.
 */
public final class CorruptContainerException extends UnreadableInputException {
  private static final long serialVersionUID = 1L;

  CorruptContainerException(String message, Throwable cause) {
    super(message, cause);
  }
}
