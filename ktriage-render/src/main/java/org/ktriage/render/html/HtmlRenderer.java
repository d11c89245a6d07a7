package org.ktriage.render.html;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.WriterOutput;
import java.io.IOException;
import java.io.Writer;
import org.ktriage.model.Diagnosis;
import org.ktriage.render.RenderOptions;
import org.ktriage.render.Renderer;

/**
 * The self-contained HTML report of one crash: one file with inline CSS and SVG, no script and no
 * external resource (a Content-Security-Policy forbids any), light and dark, printable. Markup
 * lives in the jte templates under {@code src/main/jte}, compiled at build time and escaping every
 * value for its HTML context; this class only builds the {@link ReportView}.
 */
public final class HtmlRenderer implements Renderer {
  private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(ContentType.Html);

  private final String version;

  public HtmlRenderer(RenderOptions options) {
    this.version = options.version();
  }

  @Override
  public void render(Diagnosis diagnosis, Writer out) throws IOException {
    ENGINE.render("report.jte", ReportViews.of(diagnosis, version), new WriterOutput(out));
  }
}
