package org.ktriage.cli;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Expands command-line inputs into files: a file is itself, a directory is every regular file under
 * it (recursively, symlinked directories not followed), and a pattern with a glob wildcard (star,
 * question mark, bracket or brace) that names no existing path is a glob (a double star crosses
 * directories) matched under its literal leading directory.
 */
final class InputFiles {
  /** A file to triage, or an input that named nothing (with the reason). */
  record Input(Path path, String problem) {
    boolean ok() {
      return problem.isEmpty();
    }
  }

  private InputFiles() {}

  static List<Input> expand(List<String> args) {
    Set<Path> seen = new LinkedHashSet<>();
    List<Input> out = new ArrayList<>();
    for (String arg : args) {
      Path p = Path.of(arg);
      if (arg.equals("-")) {
        if (seen.add(p)) {
          out.add(new Input(p, "")); // standard input
        }
      } else if (Files.isDirectory(p)) {
        walk(p, null, seen, out);
      } else if (Files.exists(p) || !isGlob(arg)) {
        if (seen.add(p)) {
          out.add(new Input(p, Files.exists(p) ? "" : "no such file"));
        }
      } else {
        int before = out.size();
        Path base = literalPrefix(arg);
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + arg);
        if (Files.isDirectory(base)) {
          walk(base, matcher, seen, out);
        }
        if (out.size() == before) {
          out.add(new Input(p, "no file matches the pattern"));
        }
      }
    }
    return out;
  }

  private static boolean isGlob(String arg) {
    return arg.indexOf('*') >= 0
        || arg.indexOf('?') >= 0
        || arg.indexOf('[') >= 0
        || arg.indexOf('{') >= 0;
  }

  /** The directory part of a glob before its first wildcard ({@code .} when none). */
  private static Path literalPrefix(String glob) {
    int wild = glob.length();
    for (char c : new char[] {'*', '?', '[', '{'}) {
      int i = glob.indexOf(c);
      if (i >= 0 && i < wild) {
        wild = i;
      }
    }
    int slash = glob.lastIndexOf('/', wild);
    if (slash < 0) {
      return Path.of(".");
    }
    return Path.of(slash == 0 ? "/" : glob.substring(0, slash));
  }

  private static void walk(
      Path dir, @Nullable PathMatcher matcher, Set<Path> seen, List<Input> out) {
    try {
      Files.walkFileTree(
          dir,
          EnumSet.noneOf(FileVisitOption.class),
          Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              boolean wanted = attrs.isRegularFile() && (matcher == null || matcher.matches(file));
              if (wanted && seen.add(file)) {
                out.add(new Input(file, ""));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              if (seen.add(file)) {
                out.add(new Input(file, TriageCommand.oneLine("cannot list: " + e.getMessage())));
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      out.add(new Input(dir, "cannot list: " + e.getMessage()));
    }
  }
}
