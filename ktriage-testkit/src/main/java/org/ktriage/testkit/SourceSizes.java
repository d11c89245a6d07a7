package org.ktriage.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Sizes of the main sources: the lines of each source file (one top-level class each) and of each
 * method and constructor (from the line of its name to its closing brace, lambdas and local classes
 * inside it included). Issue 10's measure: no class over {@value #CLASS_LINES} lines, no method
 * over {@value #METHOD_LINES} lines outside tables.
 *
 * <p>The scanner reads Java as the formatter leaves it: comments, strings, text blocks and char
 * literals are blanked before braces are matched; a brace opens a method body when its header, at
 * type level, has a parameter list and is no type declaration or field initializer. It depends on
 * nothing but the JDK, so {@code bench/source-sizes.sh} runs it as a single source file.
 */
public final class SourceSizes {

  /** Issue 10's ceiling for a class. */
  public static final int CLASS_LINES = 500;

  /** Issue 10's ceiling for a method outside tables. */
  public static final int METHOD_LINES = 80;

  private SourceSizes() {}

  /**
   * One measured unit.
   *
   * @param kind {@code class} or {@code method}
   * @param name {@code module/Class} for a class, {@code module/Class.method:line} for a method
   * @param lines its length in lines
   */
  public record Size(String kind, String name, int lines) {
    /** The key a ceiling list names it by: its kind and name without the line number. */
    public String key() {
      int colon = name.lastIndexOf(':');
      return kind + " " + (kind.equals("method") && colon > 0 ? name.substring(0, colon) : name);
    }
  }

  /** Every main source file of the modules under {@code root} ({@code ktriage-*}). */
  public static List<Path> mainSources(Path root) {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path m :
          modules.filter(p -> p.getFileName().toString().startsWith("ktriage-")).toList()) {
        Path src = m.resolve("src/main/java");
        if (Files.isDirectory(src)) {
          try (Stream<Path> files = Files.walk(src)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(out::add);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  /**
   * The classes over {@code classLines} and the methods over {@code methodLines}, largest first.
   */
  public static List<Size> over(Path root, int classLines, int methodLines) {
    List<Size> out = new ArrayList<>();
    for (Path f : mainSources(root)) {
      String module = root.relativize(f).getName(0).toString();
      String text;
      try {
        text = Files.readString(f, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      String cls = f.getFileName().toString().replaceFirst("\\.java$", "");
      int lines = lineCount(text);
      if (lines > classLines) {
        out.add(new Size("class", module + "/" + cls, lines));
      }
      for (Size m : methods(module + "/" + cls, text)) {
        if (m.lines() > methodLines) {
          out.add(m);
        }
      }
    }
    out.sort(
        Comparator.comparing(Size::kind)
            .thenComparing(Comparator.comparingInt(Size::lines).reversed())
            .thenComparing(Size::name));
    return out;
  }

  /** Physical lines of a text (a last line without a newline counts). */
  static int lineCount(String text) {
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        n++;
      }
    }
    return text.isEmpty() || text.endsWith("\n") ? n : n + 1;
  }

  private static final Pattern TYPE_KEYWORD =
      Pattern.compile("(?<![\\w.@])(class|interface|enum|record)\\s+\\w");
  private static final Pattern CONTROL =
      Pattern.compile("^(if|for|while|switch|catch|synchronized|try|do|else)\\b");
  private static final Pattern NAME_BEFORE_PARAMS = Pattern.compile("(\\w+)\\s*\\($");

  private enum Block {
    TYPE,
    METHOD,
    OTHER
  }

  /**
   * The methods and constructors of one source file, each named {@code owner.name:line} (nested
   * types' methods under the file's class name).
   */
  static List<Size> methods(String owner, String source) {
    String code = blank(source);
    List<Size> out = new ArrayList<>();
    Deque<Block> blocks = new ArrayDeque<>();
    Deque<int[]> methodStarts = new ArrayDeque<>(); // {line of name} per open METHOD block
    Deque<String> methodNames = new ArrayDeque<>();
    int headerStart = 0;
    int line = 1;
    int[] lineOf = new int[code.length() + 1];
    for (int i = 0; i < code.length(); i++) {
      lineOf[i] = line;
      if (code.charAt(i) == '\n') {
        line++;
      }
    }
    lineOf[code.length()] = line;
    for (int i = 0; i < code.length(); i++) {
      char c = code.charAt(i);
      if (c == ';') {
        headerStart = i + 1;
      } else if (c == '{') {
        String header = code.substring(headerStart, i);
        Block enclosing = blocks.isEmpty() ? Block.OTHER : blocks.peek();
        Block b = kind(header, enclosing);
        if (b == Block.METHOD) {
          String name = methodName(header);
          int named = header.lastIndexOf(name + "(");
          int at = headerStart + (named >= 0 ? named : Math.max(0, header.lastIndexOf(name)));
          methodStarts.push(new int[] {lineOf[at]});
          methodNames.push(name);
        }
        blocks.push(b);
        headerStart = i + 1;
      } else if (c == '}') {
        Block b = blocks.isEmpty() ? Block.OTHER : blocks.pop();
        if (b == Block.METHOD && !methodStarts.isEmpty()) {
          int start = methodStarts.pop()[0];
          out.add(
              new Size(
                  "method", owner + "." + methodNames.pop() + ":" + start, lineOf[i] - start + 1));
        }
        headerStart = i + 1;
      }
    }
    return out;
  }

  private static Block kind(String rawHeader, Block enclosing) {
    String header = rawHeader.strip().replaceAll("\\s+", " ");
    if (TYPE_KEYWORD.matcher(header).find() && !header.contains("=")) {
      return Block.TYPE;
    }
    if (header.matches(".*\\bnew [\\w.<>, ?\\[\\]]+\\(.*\\)$")) {
      return Block.TYPE; // an anonymous class: its methods are measured on their own
    }
    if (enclosing != Block.TYPE) {
      return Block.OTHER;
    }
    String h = withoutAnnotations(header);
    if (h.isEmpty()
        || h.equals("static")
        || h.contains("=")
        || h.contains("->")
        || CONTROL.matcher(h).find()
        || (!h.endsWith(")") && !h.matches(".*\\)\\s*throws [\\w., <>]+$"))) {
      // an initializer block, a field's initializer, an enum constant's body without arguments;
      // a bare type name is a record's compact canonical constructor
      return h.matches("((public|protected|private) )?[A-Z]\\w*") ? Block.METHOD : Block.OTHER;
    }
    return methodName(header).isEmpty() ? Block.OTHER : Block.METHOD;
  }

  private static String withoutAnnotations(String header) {
    String h = header;
    String before;
    do {
      before = h;
      h = h.replaceFirst("^@[\\w.]+(\\s*\\([^()]*\\))?\\s*", "");
    } while (!h.equals(before));
    return h.strip();
  }

  /** The name before the header's parameter list (its first top-level parenthesis). */
  private static String methodName(String rawHeader) {
    String header = withoutAnnotations(rawHeader.strip().replaceAll("\\s+", " "));
    int open = header.indexOf('(');
    if (open < 0) {
      Matcher compact = Pattern.compile("(\\w+)$").matcher(header);
      return compact.find() ? compact.group(1) : "";
    }
    Matcher m = NAME_BEFORE_PARAMS.matcher(header.substring(0, open + 1));
    return m.find() ? m.group(1) : "";
  }

  /**
   * The source with comments, strings, text blocks and char literals replaced by spaces (newlines
   * kept), so braces and semicolons in them are not code.
   */
  static String blank(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
        while (i < n && s.charAt(i) != '\n') {
          out.append(' ');
          i++;
        }
      } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
        int end = s.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        blankRange(s, i, end, out);
        i = end;
      } else if (s.startsWith("\"\"\"", i)) {
        int end = s.indexOf("\"\"\"", i + 3);
        while (end > 0 && s.charAt(end - 1) == '\\') {
          end = s.indexOf("\"\"\"", end + 1);
        }
        end = end < 0 ? n : end + 3;
        out.append('"');
        blankRange(s, i + 1, end - 1, out);
        out.append('"');
        i = end;
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < n && s.charAt(j) != c && s.charAt(j) != '\n') {
          j += s.charAt(j) == '\\' ? 2 : 1;
        }
        int end = Math.min(n, j + 1);
        out.append(c);
        blankRange(s, i + 1, end - 1, out);
        if (end - 1 > i) {
          out.append(c);
        }
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static void blankRange(String s, int from, int to, StringBuilder out) {
    for (int k = from; k < to; k++) {
      out.append(s.charAt(k) == '\n' ? '\n' : ' ');
    }
  }

  /**
   * Writes the classes and methods over the ceilings, largest first, and their counts, to a file
   * (only the CLI prints: {@code bench/source-sizes.sh} shows the file).
   *
   * @param args the repository root and the file to write
   */
  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]);
    List<Size> over = over(root, CLASS_LINES, METHOD_LINES);
    long classes = over.stream().filter(s -> s.kind().equals("class")).count();
    List<String> out = new ArrayList<>();
    for (Size s : over) {
      out.add(String.format(Locale.ROOT, "%-6s %5d  %s", s.kind(), s.lines(), s.name()));
    }
    out.add(
        String.format(
            Locale.ROOT,
            "classes over %d lines: %d; methods over %d lines: %d",
            CLASS_LINES,
            classes,
            METHOD_LINES,
            over.size() - classes));
    Files.write(Path.of(args[1]), out, StandardCharsets.UTF_8);
  }
}
