package org.ktriage.analysis.rule;

/** A rule file that cannot be used; the message is one line naming the file and line. */
public final class RuleFileException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public RuleFileException(String file, int line, String problem) {
    super(line > 0 ? file + ":" + line + ": " + problem : file + ": " + problem);
  }
}
