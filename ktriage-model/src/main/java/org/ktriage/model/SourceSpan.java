package org.ktriage.model;

/**
 * Where a piece of evidence came from: an input path and a 1-based line range (for binary inputs,
 * {@code line} is 0 and {@code detail} says where, e.g. "offset 0x1a2b").
 */
public record SourceSpan(String path, int line, int endLine, String detail) {
  public static SourceSpan line(String path, int line) {
    return new SourceSpan(path, line, line, "");
  }

  public static SourceSpan lines(String path, int line, int endLine) {
    return new SourceSpan(path, line, endLine, "");
  }

  public static SourceSpan binary(String path, String detail) {
    return new SourceSpan(path, 0, 0, detail);
  }

  /** {@code file:line} or {@code file:line-end} or {@code file (detail)}. */
  @Override
  public String toString() {
    if (line <= 0) {
      return detail.isEmpty() ? path : path + " (" + detail + ")";
    }
    return endLine > line ? path + ":" + line + "-" + endLine : path + ":" + line;
  }
}
