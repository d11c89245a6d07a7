package org.ktriage.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.bucket.Bucket;
import org.ktriage.analysis.bucket.BucketTable;
import org.ktriage.analysis.bucket.MergeSuggestion;
import org.ktriage.analysis.bucket.TriageResult;

/** Writes triage results: a terminal table, CSV, JSON, or one JSON line per input. */
final class TriageOutput {
  private static final int TITLE_WIDTH = 72;

  private final PrintWriter out;
  private final ObjectMapper json = new ObjectMapper();

  TriageOutput(PrintWriter out) {
    this.out = out;
  }

  /**
   * One crash of an input as {@code {"path","title","altTitles","class","signature","corrupted",
   * "incident","problems"}}: {@code incident} is 0 for the crash the log ends in, 1, 2, … for the
   * other independent crashes of the same log; {@code problems} says what of the input was not read
   * (a cap hit, a cut container), empty when it was read whole.
   */
  synchronized void jsonLine(TriageResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", r.path());
    m.put("title", r.title());
    m.put("altTitles", r.altTitles());
    m.put("class", r.failureClass());
    m.put("signature", r.signature());
    m.put("corrupted", r.corrupted());
    if (r.error() != null) {
      m.put("error", r.error());
    }
    m.put("incident", r.incident());
    m.put("problems", r.problems());
    out.println(write(m, false));
  }

  void table(
      List<Bucket> buckets,
      List<MergeSuggestion> merges,
      BucketTable table,
      TriageCommand.Summary summary) {
    aligned(bucketRows(buckets));
    if (!merges.isEmpty()) {
      out.println();
      out.println("Possibly the same bug (similar stacks, not merged):");
      for (MergeSuggestion m : merges) {
        out.printf(
            java.util.Locale.ROOT,
            "  %s ~ %s  similarity %.2f%n",
            m.signatureA(),
            m.signatureB(),
            m.similarity());
      }
    }
    List<TriageResult> unreadable = table.unreadable();
    if (!unreadable.isEmpty()) {
      out.println();
      out.println("Unreadable inputs:");
      for (TriageResult r : unreadable) {
        out.println("  " + r.path() + ": " + r.error());
      }
    }
    List<TriageResult> partial = table.readInPart();
    if (!partial.isEmpty()) {
      out.println();
      out.println("Inputs read in part (PARTIAL):");
      for (TriageResult r : partial) {
        out.println("  " + r.path() + ": " + String.join("; ", r.problems()));
      }
    }
    out.println();
    out.println(summary.line());
  }

  /** The bucket table's header and one row per bucket. */
  private static List<String[]> bucketRows(List<Bucket> buckets) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "COUNT",
          "SIGNATURE",
          "CLASS",
          "TITLE",
          "FIRST SEEN",
          "LAST SEEN",
          "KERNELS",
          "HOSTS",
          "EXAMPLE"
        });
    for (Bucket b : buckets) {
      rows.add(
          new String[] {
            Integer.toString(b.count()),
            b.signature(),
            b.failureClass(),
            cut(b.title(), TITLE_WIDTH),
            day(b.firstSeen()),
            day(b.lastSeen()),
            list(b.kernels()),
            list(b.hosts()),
            b.examplePath()
          });
    }
    return rows;
  }

  /** Prints rows in columns as wide as their widest cell, the first right-aligned (counts). */
  private void aligned(List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        boolean last = i == row.length - 1;
        String cell = row[i];
        if (i == 0) {
          sb.append(" ".repeat(widths[i] - cell.length())).append(cell);
        } else {
          sb.append(cell);
          if (!last) {
            sb.append(" ".repeat(widths[i] - cell.length()));
          }
        }
        if (!last) {
          sb.append("  ");
        }
      }
      out.println(sb.toString().stripTrailing());
    }
  }

  void csv(List<Bucket> buckets) {
    out.println("count,signature,class,title,first_seen,last_seen,kernels,hosts,corrupted,example");
    for (Bucket b : buckets) {
      out.println(
          String.join(
              ",",
              Integer.toString(b.count()),
              b.signature(),
              csvCell(b.failureClass()),
              csvCell(b.title()),
              instant(b.firstSeen()),
              instant(b.lastSeen()),
              csvCell(String.join(" ", b.kernels())),
              csvCell(String.join(" ", b.hosts())),
              Integer.toString(b.corrupted()),
              csvCell(b.examplePath())));
    }
  }

  void json(
      List<Bucket> buckets,
      List<MergeSuggestion> merges,
      BucketTable table,
      TriageCommand.Summary summary) {
    Map<String, Object> root = new LinkedHashMap<>();
    List<Map<String, Object>> bs = new ArrayList<>();
    for (Bucket b : buckets) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("signature", b.signature());
      m.put("title", b.title());
      m.put("class", b.failureClass());
      m.put("count", b.count());
      m.put("corrupted", b.corrupted());
      m.put("firstSeen", b.firstSeen() == null ? null : b.firstSeen().toString());
      m.put("lastSeen", b.lastSeen() == null ? null : b.lastSeen().toString());
      m.put("kernels", b.kernels());
      m.put("hosts", b.hosts());
      m.put("example", b.examplePath());
      m.put("frames", b.frames());
      bs.add(m);
    }
    root.put("buckets", bs);
    List<Map<String, Object>> ms = new ArrayList<>();
    for (MergeSuggestion s : merges) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("a", s.signatureA());
      m.put("b", s.signatureB());
      m.put("similarity", Math.round(s.similarity() * 1000) / 1000.0);
      ms.add(m);
    }
    root.put("mergeSuggestions", ms);
    List<Map<String, Object>> un = new ArrayList<>();
    for (TriageResult r : table.unreadable()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", r.path());
      m.put("error", r.error());
      un.add(m);
    }
    root.put("unreadable", un);
    List<Map<String, Object>> part = new ArrayList<>();
    for (TriageResult r : table.readInPart()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", r.path());
      m.put("problems", r.problems());
      part.add(m);
    }
    root.put("partial", part);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("inputs", summary.inputs());
    s.put("crashes", summary.crashes());
    s.put("noCrash", summary.noCrash());
    s.put("unreadable", summary.unreadable());
    s.put("buckets", summary.buckets());
    s.put("seconds", Math.round(summary.seconds() * 1000) / 1000.0);
    root.put("summary", s);
    out.println(write(root, true));
  }

  private String write(Object value, boolean pretty) {
    try {
      return pretty
          ? json.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value)
          : json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  private static String cut(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 1) + "…";
  }

  private static String list(List<String> values) {
    if (values.isEmpty()) {
      return "-";
    }
    String s = String.join(",", values);
    return s.length() <= 32 ? s : values.get(0) + ",+" + (values.size() - 1);
  }

  private static String day(@Nullable Instant t) {
    return t == null ? "-" : t.toString().substring(0, 10);
  }

  private static String instant(@Nullable Instant t) {
    return t == null ? "" : t.toString();
  }

  private static String csvCell(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
