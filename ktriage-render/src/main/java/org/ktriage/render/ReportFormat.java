package org.ktriage.render;

import java.util.Locale;
import java.util.function.Function;
import org.ktriage.render.html.HtmlRenderer;
import org.ktriage.render.json.JsonRenderer;
import org.ktriage.render.text.TextRenderer;

/** The output formats, one line each, sorted by id; {@link #id()} is what users type. */
public enum ReportFormat {
  HTML("html", HtmlRenderer::new),
  JSON("json", options -> new JsonRenderer()),
  TEXT("text", TextRenderer::new);

  private final String id;

  @SuppressWarnings("ImmutableEnumChecker") // constructor references, stateless
  private final Function<RenderOptions, Renderer> factory;

  ReportFormat(String id, Function<RenderOptions, Renderer> factory) {
    this.id = id;
    this.factory = factory;
  }

  public String id() {
    return id;
  }

  public Renderer renderer(RenderOptions options) {
    return factory.apply(options);
  }

  /** The format with this id (case-insensitive), or an {@link IllegalArgumentException}. */
  public static ReportFormat fromId(String id) {
    String wanted = id.toLowerCase(Locale.ROOT);
    for (ReportFormat f : values()) {
      if (f.id.equals(wanted)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown format '" + id + "' (expected html, json or text)");
  }
}
