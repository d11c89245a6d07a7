package org.ktriage.render.html;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.WriterOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.ktriage.render.RenderOptions;

/**
 * The self-contained HTML page of a triage run: every bucket with its count, title, class,
 * signature, kernels, hosts and a first/last-seen sparkline, a filter and sort, links to each
 * bucket's example report, and the unreadable inputs. One file with inline CSS, SVG and one small
 * inline script that the Content-Security-Policy allows by its SHA-256 hash (nothing else runs,
 * nothing loads); with scripts off the table reads the same, sorted by count. Markup lives in
 * {@code src/main/jte/buckets.jte}; this class only builds the {@link BucketsView}.
 */
public final class BucketsHtmlRenderer {
  private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(ContentType.Html);
  private static final String SCRIPT = resource("buckets.js");

  /** The page's policy: no loads at all, inline styles, and only the script with this hash. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src '"
          + sha256(SCRIPT)
          + "'";

  private final String version;

  public BucketsHtmlRenderer(RenderOptions options) {
    this.version = options.version();
  }

  /** Writes the page of {@code run} to {@code out} without closing it. */
  public void render(TriageRun run, Writer out) throws IOException {
    ENGINE.render(
        "buckets.jte",
        BucketsViews.of(run, version, CONTENT_SECURITY_POLICY, SCRIPT),
        new WriterOutput(out));
  }

  /** The CSP source expression of an inline script: {@code sha256-} and its base64 digest. */
  static String sha256(String script) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = BucketsHtmlRenderer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            "missing resource " + name + " next to BucketsHtmlRenderer");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
