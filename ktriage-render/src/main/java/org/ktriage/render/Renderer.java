package org.ktriage.render;

import java.io.IOException;
import java.io.Writer;
import org.ktriage.model.Diagnosis;

/** Draws a {@link Diagnosis} onto a writer; a renderer never decides and never prints. */
public interface Renderer {

  /** Writes the rendering of {@code diagnosis} to {@code out} without closing it. */
  void render(Diagnosis diagnosis, Writer out) throws IOException;
}
