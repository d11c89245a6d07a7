package org.ktriage.cli.archfixture.render;

import org.ktriage.cli.archfixture.analysis.Engine;
import org.ktriage.cli.archfixture.cli.UsesTestkit;

/** A renderer that decides (calls an analysis engine), prints, and names the CLI. */
public final class Decides {
  private Decides() {}

  /** Decides and prints. */
  public static void show() {
    System.out.println(Engine.decide() + UsesTestkit.name());
  }
}
