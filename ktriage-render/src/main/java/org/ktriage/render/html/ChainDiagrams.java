package org.ktriage.render.html;

import static org.ktriage.render.Printable.clean;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.ChainEvent;
import org.ktriage.render.html.ReportView.ChainBox;
import org.ktriage.render.html.ReportView.ChainDiagram;
import org.ktriage.render.html.ReportView.ChainStep;

/**
 * The cause chain as drawn: boxes of fixed size, {@value #PER_ROW} to a row, joined by arrows in
 * chain order (the geometry of the report's SVG diagram), and the same events as the numbered steps
 * listed under it.
 */
final class ChainDiagrams {
  private ChainDiagrams() {}

  // chain diagram geometry, px
  private static final int BOX_W = 214;
  private static final int BOX_H = 66;
  private static final int GAP_X = 34;
  private static final int GAP_Y = 30;
  private static final int PAD = 6;
  private static final int PER_ROW = 4;
  private static final int BOX_CHARS = 26;

  static @Nullable ChainDiagram diagram(List<ChainEvent> chain) {
    if (chain.isEmpty()) {
      return null;
    }
    int n = chain.size();
    int cols = Math.min(PER_ROW, n);
    int rows = (n + PER_ROW - 1) / PER_ROW;
    List<ChainBox> boxes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ChainEvent e = chain.get(i);
      int x = PAD + (i % PER_ROW) * (BOX_W + GAP_X);
      int y = PAD + (i / PER_ROW) * (BOX_H + GAP_Y);
      String role = i == 0 ? "first" : i == n - 1 ? "last" : "middle";
      String detail = e.detail() == null ? "" : clean(e.detail());
      String where = e.where() == null ? detail : clean(e.where());
      String place = place(e);
      String full =
          String.join(
              " · ",
              List.of(clean(e.event()), where, place, where.equals(detail) ? "" : detail).stream()
                  .filter(s -> !s.isEmpty())
                  .toList());
      boxes.add(
          new ChainBox(
              x, y, BOX_W, BOX_H, role, cut(clean(e.event())), cut(where), cut(place), full));
    }
    List<String> arrows = new ArrayList<>();
    for (int i = 0; i + 1 < n; i++) {
      ChainBox a = boxes.get(i);
      ChainBox b = boxes.get(i + 1);
      if (a.y() == b.y()) {
        int y = a.y() + BOX_H / 2;
        arrows.add("M" + (a.x() + BOX_W) + " " + y + " H" + (b.x() - 4));
      } else {
        int mid = a.y() + BOX_H + GAP_Y / 2;
        arrows.add(
            "M"
                + (a.x() + BOX_W / 2)
                + " "
                + (a.y() + BOX_H)
                + " V"
                + mid
                + " H"
                + (b.x() + BOX_W / 2)
                + " V"
                + (b.y() - 4));
      }
    }
    int width = 2 * PAD + cols * BOX_W + (cols - 1) * GAP_X;
    int height = 2 * PAD + rows * BOX_H + (rows - 1) * GAP_Y;
    return new ChainDiagram(width, height, boxes, arrows);
  }

  private static String place(ChainEvent e) {
    List<String> parts = new ArrayList<>();
    if (e.context() != null) {
      parts.add(clean(e.context()));
    }
    if (e.cpu() != null) {
      parts.add("CPU " + e.cpu());
    }
    return String.join(", ", parts);
  }

  private static String cut(String s) {
    return s.length() > BOX_CHARS ? s.substring(0, BOX_CHARS - 1) + "…" : s;
  }

  static List<ChainStep> steps(List<ChainEvent> chain, LineAnchors anchors) {
    List<ChainStep> steps = new ArrayList<>();
    for (ChainEvent e : chain) {
      String place = place(e);
      steps.add(
          new ChainStep(
              clean(e.event()),
              e.where() == null ? null : clean(e.where()),
              place.isEmpty() ? null : place,
              e.detail() == null ? null : clean(e.detail()),
              anchors.of(e.source())));
    }
    return steps;
  }
}
