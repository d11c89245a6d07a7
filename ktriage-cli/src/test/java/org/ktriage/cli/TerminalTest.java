package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminalTest {
  private static Terminal terminal(Map<String, String> env, boolean tty, StringWriter err) {
    return new Terminal(
        new PrintWriter(new StringWriter()), new PrintWriter(err, true), env, tty, tty);
  }

  @Test
  void colourOnlyOnATerminalWithoutNoColor() {
    StringWriter err = new StringWriter();
    assertThat(terminal(Map.of(), true, err).colorWanted()).isTrue();
    assertThat(terminal(Map.of(), false, err).colorWanted()).isFalse();
    assertThat(terminal(Map.of("NO_COLOR", "1"), true, err).colorWanted()).isFalse();
    // NO_COLOR set to the empty string does not disable colour (no-color.org)
    assertThat(terminal(Map.of("NO_COLOR", ""), true, err).colorWanted()).isTrue();
  }

  @Test
  void progressShowsAfterASecondOnATerminalAndIsErased() throws Exception {
    StringWriter err = new StringWriter();
    try (Progress p = new Progress(terminal(Map.of(), true, err))) {
      p.stage("reading vmcore");
      Thread.sleep(1400);
    }
    assertThat(err.toString()).contains("ktriage: reading vmcore … 1s").endsWith("\r\u001b[2K");
  }

  @Test
  void noProgressWhenStderrIsNotATerminal() throws Exception {
    StringWriter err = new StringWriter();
    try (Progress p = new Progress(terminal(Map.of(), false, err))) {
      p.stage("reading vmcore");
      Thread.sleep(1300);
    }
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void quickWorkShowsNoProgress() {
    StringWriter err = new StringWriter();
    try (Progress p = new Progress(terminal(Map.of(), true, err))) {
      p.stage("reading");
    }
    assertThat(err.toString()).isEmpty();
  }
}
