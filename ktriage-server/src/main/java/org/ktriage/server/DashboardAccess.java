package org.ktriage.server;

import io.javalin.http.Context;
import java.net.URI;
import java.sql.SQLException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Who may see the dashboard. A request gets in with an API token holding the {@code read} scope (as
 * {@code Authorization: Bearer} or in the {@value #COOKIE} cookie the sign-in page sets), or with
 * the user header of a trusted reverse proxy when {@link ServerConfig#userHeader()} is set. A
 * server without any token and without a proxy header is open, like its API.
 */
final class DashboardAccess {
  /** The cookie that carries a token once signed in: HttpOnly, SameSite=Strict. */
  static final String COOKIE = "ktriage_token";

  /**
   * Who is looking and whether they may change a bucket.
   *
   * @param name the token's or the proxy's user name, or null on an open server
   */
  record Viewer(@Nullable String name, boolean canWrite) {}

  private final Tokens tokens;
  private final @Nullable String userHeader;

  DashboardAccess(Tokens tokens, @Nullable String userHeader) {
    this.tokens = tokens;
    this.userHeader = userHeader;
  }

  /** The viewer of a request, or empty when it has to sign in first. */
  Optional<Viewer> viewer(Context ctx) throws SQLException {
    if (userHeader != null) {
      String user = ctx.header(userHeader);
      if (user != null && !user.isBlank()) {
        return Optional.of(new Viewer(proxyUser(user), true));
      }
    }
    String token = presentedToken(ctx);
    if (token != null) {
      var holder = tokens.holder(token);
      if (holder.isEmpty()) {
        return Optional.empty();
      }
      if (!holder.get().scopes().contains("read")) {
        throw new ApiException(
            403, "token " + holder.get().name() + " lacks the read scope the dashboard needs");
      }
      return Optional.of(new Viewer(holder.get().name(), holder.get().scopes().contains("write")));
    }
    if (userHeader == null && !tokens.any()) {
      return Optional.of(new Viewer(null, true));
    }
    return Optional.empty();
  }

  /** The holder of a token typed on the sign-in page, when it may read. */
  Optional<Tokens.Holder> signIn(@Nullable String token) throws SQLException {
    if (token == null || token.isBlank() || token.length() > 200) {
      return Optional.empty();
    }
    return tokens.holder(token.strip()).filter(h -> h.scopes().contains("read"));
  }

  private static @Nullable String presentedToken(Context ctx) {
    String auth = ctx.header("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return auth.substring(7).strip();
    }
    String cookie = ctx.cookie(COOKIE);
    return cookie == null || cookie.isBlank() ? null : cookie;
  }

  /** The proxy's user name, checked like any other value shown on a page. */
  private static String proxyUser(String user) {
    String u = Params.text("user header", user.strip(), 128);
    if (u == null || u.isEmpty()) {
      throw ApiException.badRequest("empty user header");
    }
    return u;
  }

  /**
   * Refuses a form posted from another site: a browser names the page a form came from in {@code
   * Origin} (and {@code Sec-Fetch-Site}); it must be this server. The SameSite=Strict cookie
   * already keeps the token off such requests; this also covers the proxy-header case.
   */
  static void sameOrigin(Context ctx) {
    String site = ctx.header("Sec-Fetch-Site");
    if (site != null && !site.equals("same-origin") && !site.equals("none")) {
      throw new ApiException(403, "a form from another site (" + Params.quote(site) + ")");
    }
    String origin = ctx.header("Origin");
    String host = ctx.header("Host");
    if (origin == null) {
      return;
    }
    String originHost;
    try {
      URI u = URI.create(origin);
      originHost = u.getRawAuthority();
    } catch (IllegalArgumentException e) {
      originHost = null;
    }
    if (originHost == null || !originHost.equalsIgnoreCase(host)) {
      throw new ApiException(403, "a form from another origin: " + Params.quote(origin));
    }
  }

  /** A path of this server to go back to after sign-in; anything else goes to the bucket list. */
  static String localPath(@Nullable String next) {
    if (next == null
        || next.length() > 2000
        || !next.startsWith("/")
        || next.startsWith("//")
        || next.contains("\\")) {
      return "/buckets";
    }
    for (int i = 0; i < next.length(); i++) {
      char c = next.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return "/buckets";
      }
    }
    return next;
  }
}
