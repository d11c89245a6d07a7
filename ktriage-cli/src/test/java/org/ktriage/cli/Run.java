package org.ktriage.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One in-process run of the CLI with captured streams. */
record Run(int exitCode, String out, String err) {

  static Run of(String... args) {
    return with(Map.of(), false, args);
  }

  static Run with(Map<String, String> env, boolean tty, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Terminal terminal =
        new Terminal(new PrintWriter(out, true), new PrintWriter(err, true), env, tty, tty);
    int code = Main.run(terminal, args);
    return new Run(code, out.toString(), err.toString());
  }

  long errLines() {
    return err.lines().count();
  }
}
