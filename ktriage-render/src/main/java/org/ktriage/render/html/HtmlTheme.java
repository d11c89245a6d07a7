package org.ktriage.render.html;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.Map;

/**
 * The look of ktriage's HTML pages ({@code theme.jte}: palette for light and dark, type, header,
 * print) as a {@code <style>} element, for other pages that want to look the same (the crash
 * service's dashboard).
 */
public final class HtmlTheme {
  private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(ContentType.Html);
  private static final String STYLE = render();

  private HtmlTheme() {}

  /** The {@code <style>} element of the theme, trusted markup from this module's template. */
  public static String style() {
    return STYLE;
  }

  private static String render() {
    StringOutput out = new StringOutput();
    ENGINE.render("theme.jte", Map.of(), out);
    return out.toString();
  }
}
