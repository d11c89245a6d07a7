package org.ktriage.server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Orders kernel release strings ({@code uname -r}: {@code 6.1.0-56-amd64}, {@code 6.9.0-rc3},
 * {@code 5.14.0-427.13.1.el9_4.x86_64}) for the bucket lifecycle: runs of digits compare as
 * numbers, other runs as text, and a release candidate ({@code -rcN}, the top Makefile's
 * EXTRAVERSION before a release) comes before the release itself and its stable or distribution
 * updates.
 */
final class KernelRelease {
  private KernelRelease() {}

  /** Lowest first. */
  static final Comparator<String> ORDER = KernelRelease::compare;

  static int compare(String a, String b) {
    List<String> ta = tokens(a);
    List<String> tb = tokens(b);
    for (int i = 0; ; i++) {
      boolean endA = i >= ta.size();
      boolean endB = i >= tb.size();
      if (endA && endB) {
        return 0;
      }
      if (endA) {
        return candidate(tb.get(i)) ? 1 : -1;
      }
      if (endB) {
        return candidate(ta.get(i)) ? -1 : 1;
      }
      String x = ta.get(i);
      String y = tb.get(i);
      boolean dx = Character.isDigit(x.charAt(0));
      boolean dy = Character.isDigit(y.charAt(0));
      int c;
      if (dx && dy) {
        c = compareDigits(x, y);
      } else if (candidate(x) != candidate(y)) {
        c = candidate(x) ? -1 : 1;
      } else if (dx != dy) {
        c = dx ? 1 : -1;
      } else {
        c = x.compareTo(y);
      }
      if (c != 0) {
        return c;
      }
    }
  }

  /** True when {@code release} is {@code fixedIn} or later. */
  static boolean atLeast(String release, String fixedIn) {
    return compare(release, fixedIn) >= 0;
  }

  private static boolean candidate(String token) {
    return token.equals("-rc") || token.equals("rc") || token.equals("~rc");
  }

  private static int compareDigits(String x, String y) {
    String a = x.replaceFirst("^0+(?=.)", "");
    String b = y.replaceFirst("^0+(?=.)", "");
    return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
  }

  private static List<String> tokens(String s) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      boolean digit = Character.isDigit(s.charAt(i));
      int j = i;
      while (j < s.length() && Character.isDigit(s.charAt(j)) == digit) {
        j++;
      }
      out.add(s.substring(i, j));
      i = j;
    }
    return out;
  }
}
