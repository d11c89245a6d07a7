package org.ktriage.render.text;

import org.ktriage.model.Severity;

/** ANSI styling for the terminal report, or none: every method returns its text unchanged then. */
final class Style {
  private static final String RESET = "\u001b[0m";
  private final boolean color;

  Style(boolean color) {
    this.color = color;
  }

  String bold(String s) {
    return wrap("1", s);
  }

  String dim(String s) {
    return wrap("2", s);
  }

  String red(String s) {
    return wrap("1;31", s);
  }

  String yellow(String s) {
    return wrap("33", s);
  }

  String cyan(String s) {
    return wrap("36", s);
  }

  String severity(Severity severity, String s) {
    return switch (severity) {
      case CRITICAL -> red(s);
      case HIGH -> wrap("31", s);
      case MEDIUM -> yellow(s);
      case LOW, INFO -> s;
    };
  }

  private String wrap(String code, String s) {
    return color ? "\u001b[" + code + "m" + s + RESET : s;
  }
}
