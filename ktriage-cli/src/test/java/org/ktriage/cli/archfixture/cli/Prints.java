package org.ktriage.cli.archfixture.cli;

/** Allowed: the CLI printing. */
public final class Prints {
  private Prints() {}

  /** Prints. */
  public static void say(String s) {
    System.out.println(s);
  }
}
