package org.ktriage.server;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.ktriage.render.html.HtmlTheme;
import org.ktriage.server.dashboard.Views.BucketLine;
import org.ktriage.server.dashboard.Views.Page;

/**
 * What every dashboard page shares: who is looking (a sign-in redirect otherwise), the page frame
 * and the rendering of a jte template (the HTML report's theme, a strict content security policy),
 * and the text of times, statuses and links.
 */
final class DashboardHtml {
  /** What a dashboard page may load: its own inline style and nothing else; forms post here. */
  static final String CSP =
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self';"
          + " frame-ancestors 'none'; base-uri 'none'";

  private static final TemplateEngine ENGINE =
      TemplateEngine.createPrecompiled(
          null, ContentType.Html, DashboardHtml.class.getClassLoader(), "org.ktriage.server.jte");

  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  private final DashboardAccess access;
  private final String version;

  DashboardHtml(DashboardAccess access, String version) {
    this.access = access;
    this.version = version;
  }

  /** The viewer, or null after answering with a redirect to the sign-in page. */
  DashboardAccess.@Nullable Viewer viewer(Context ctx) throws SQLException {
    Optional<DashboardAccess.Viewer> v = access.viewer(ctx);
    if (v.isPresent()) {
      return v.get();
    }
    String here = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
    ctx.redirect("/login?next=" + encode(here), io.javalin.http.HttpStatus.SEE_OTHER);
    return null;
  }

  /**
   * The viewer of a form that changes something (same origin, signed in, {@code write} scope), or a
   * 401/403.
   */
  DashboardAccess.Viewer writer(Context ctx) throws SQLException {
    DashboardAccess.sameOrigin(ctx);
    Optional<DashboardAccess.Viewer> who = access.viewer(ctx);
    if (who.isEmpty()) {
      throw new ApiException(401, "sign in first");
    }
    if (!who.get().canWrite()) {
      throw new ApiException(403, "token " + who.get().name() + " lacks the write scope");
    }
    return who.get();
  }

  Page page(String title, DashboardAccess.@Nullable Viewer who, String search) {
    return new Page(title, HtmlTheme.style(), who == null ? null : who.name(), search, version);
  }

  static BucketLine line(Store.BucketRow b) {
    return new BucketLine(
        b.id(),
        b.title(),
        b.failureClass(),
        b.count(),
        minute(b.firstSeen()),
        minute(b.lastSeen()),
        b.status(),
        b.fixedIn(),
        statusText(b.status(), b.fixedIn()),
        "/buckets/" + b.id());
  }

  /** A status with the release of its fix: a regressed bucket keeps the release it was fixed in. */
  static String statusText(String status, @Nullable String fixedIn) {
    if (fixedIn == null) {
      return status;
    }
    return status.equals("fixed") ? "fixed in " + fixedIn : status + " (fixed in " + fixedIn + ")";
  }

  static String minute(Instant t) {
    return MINUTE.format(t);
  }

  static String encode(String v) {
    return URLEncoder.encode(v, StandardCharsets.UTF_8);
  }

  static String query(Map<String, String> params) {
    if (params.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    params.forEach(
        (k, v) -> b.append(b.length() == 0 ? '?' : '&').append(k).append('=').append(encode(v)));
    return b.toString();
  }

  static void render(Context ctx, int status, String template, Object view) {
    StringOutput out = new StringOutput();
    ENGINE.render(template, view, out);
    ctx.status(status)
        .header("Content-Security-Policy", CSP)
        .header("Cache-Control", "no-store")
        .contentType("text/html; charset=utf-8")
        .result(out.toString());
  }
}
