package org.ktriage.render.html;

import java.io.IOException;
import java.io.Writer;
import org.ktriage.model.Diagnosis;
import org.ktriage.render.Renderer;

/** The self-contained HTML report of one crash (placeholder until the templates land). */
public final class HtmlRenderer implements Renderer {
  @Override
  public void render(Diagnosis diagnosis, Writer out) throws IOException {
    throw new IOException("the HTML report is not built yet");
  }
}
