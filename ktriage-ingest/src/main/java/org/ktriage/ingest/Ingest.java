package org.ktriage.ingest;

import java.nio.file.Path;
import java.util.List;
import org.ktriage.model.CrashReport;

/**
 * Entry point of the ingest layer: sniffs each input's format, reads it, and merges all inputs of
 * one crash into one {@link CrashReport}.
 */
public final class Ingest {
  private Ingest() {}

  /**
   * Reads the inputs (files or kdump directories) of one crash.
   *
   * @throws UnreadableInputException when no input can be read at all
   */
  public static CrashReport read(List<Path> inputs, Strictness strictness)
      throws UnreadableInputException {
    throw new UnreadableInputException("input reading is not built yet: " + inputs);
  }
}
