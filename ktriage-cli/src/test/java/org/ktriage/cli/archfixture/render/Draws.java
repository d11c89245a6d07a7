package org.ktriage.cli.archfixture.render;

import org.ktriage.cli.archfixture.analysis.bucket.Bucket;

/** Allowed: a renderer drawing a result record of analysis. */
public final class Draws {
  private Draws() {}

  /** Draws a bucket. */
  public static String draw(Bucket b) {
    return b.signature() + " ×" + b.count();
  }
}
