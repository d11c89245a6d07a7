package org.ktriage.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The version of the rule book that made a diagnosis: a digest of the bundled rule files (the index
 * {@code rules/index.txt} and every file it lists, as the analysis layer loads them). Two servers
 * with the same rule files stamp the same version; any edit to a rule changes it, which is what a
 * re-triage compares.
 */
final class RuleBookVersion {
  private static final String INDEX = "rules/index.txt";

  private RuleBookVersion() {}

  /** {@code rules-} and the first 12 hex digits of the digest. */
  static String current() {
    MessageDigest sha = sha256();
    String index = resource(INDEX);
    sha.update(index.getBytes(StandardCharsets.UTF_8));
    for (String name : index.lines().map(String::strip).toList()) {
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      sha.update((byte) 0);
      sha.update(name.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(resource("rules/" + name).getBytes(StandardCharsets.UTF_8));
    }
    return "rules-" + HexFormat.of().formatHex(sha.digest()).substring(0, 12);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static String resource(String path) {
    try (InputStream in = RuleBookVersion.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("bundled rule resource missing: " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
