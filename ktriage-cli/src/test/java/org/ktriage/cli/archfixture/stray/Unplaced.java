package org.ktriage.cli.archfixture.stray;

/** A class in no layer. */
public final class Unplaced {
  private Unplaced() {}
}
