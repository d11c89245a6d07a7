package org.ktriage.analysis.bucket;

import java.util.List;

/**
 * satyr-style similarity of two stacks: one minus the Levenshtein distance between their normalized
 * function sequences (insert, delete and substitute cost 1; adjacent transposition cost 1) divided
 * by the longer length. Top frames are what differ most, so both stacks should be cut to the same
 * depth by the caller.
 */
public final class FrameSimilarity {
  private FrameSimilarity() {}

  /** 1 for identical sequences, 0 for nothing in common or an empty side. */
  public static double similarity(List<String> a, List<String> b) {
    int n = a.size();
    int m = b.size();
    if (n == 0 || m == 0) {
      return 0;
    }
    int[][] d = new int[n + 1][m + 1];
    for (int i = 0; i <= n; i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= m; j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= n; i++) {
      for (int j = 1; j <= m; j++) {
        int cost = a.get(i - 1).equals(b.get(j - 1)) ? 0 : 1;
        int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.get(i - 1).equals(b.get(j - 2))
            && a.get(i - 2).equals(b.get(j - 1))) {
          v = Math.min(v, d[i - 2][j - 2] + 1);
        }
        d[i][j] = v;
      }
    }
    return 1.0 - (double) d[n][m] / Math.max(n, m);
  }
}
