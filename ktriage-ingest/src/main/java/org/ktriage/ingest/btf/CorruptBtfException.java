package org.ktriage.ingest.btf;

import org.ktriage.ingest.UnreadableInputException;

/** A BTF blob whose header, type or string section is malformed or cut short. */
public class CorruptBtfException extends UnreadableInputException {
  private static final long serialVersionUID = 1L;

  public CorruptBtfException(String source, long offset, String what) {
    super(source + ": corrupt BTF at offset " + offset + ": " + what);
  }
}
