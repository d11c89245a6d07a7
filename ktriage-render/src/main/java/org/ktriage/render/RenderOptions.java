package org.ktriage.render;

/**
 * Presentation choices the caller makes for a renderer.
 *
 * @param color true to use ANSI colours (the CLI decides: stdout is a terminal and {@code NO_COLOR}
 *     is unset)
 * @param version the ktriage version, shown where a report names what wrote it
 */
public record RenderOptions(boolean color, String version) {
  public RenderOptions(boolean color) {
    this(color, "unknown");
  }

  public static RenderOptions plain() {
    return new RenderOptions(false);
  }
}
