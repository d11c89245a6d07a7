package org.ktriage.render;

/**
 * Presentation choices the caller makes for a renderer.
 *
 * @param color true to use ANSI colours (the CLI decides: stdout is a terminal and {@code NO_COLOR}
 *     is unset)
 */
public record RenderOptions(boolean color) {
  public static RenderOptions plain() {
    return new RenderOptions(false);
  }
}
