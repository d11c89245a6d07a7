package org.ktriage.render.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.ktriage.model.ChainEvent;
import org.ktriage.render.HandBuilt;
import org.ktriage.render.html.ReportView.ChainBox;
import org.ktriage.render.html.ReportView.ChainDiagram;

class ChainDiagramsTest {

  @Test
  void theFoundingCasesChainIsOneRowOfFourBoxesJoinedLeftToRight() {
    ChainDiagram d = Objects.requireNonNull(ChainDiagrams.diagram(HandBuilt.seedLike("x").chain()));
    assertThat(d.boxes())
        .extracting(ChainBox::role)
        .containsExactly("first", "middle", "middle", "last");
    assertThat(d.boxes()).extracting(ChainBox::y).containsOnly(6);
    assertThat(d.boxes()).extracting(ChainBox::x).containsExactly(6, 254, 502, 750);
    // three straight arrows at mid-height, each ending short of the next box
    assertThat(d.arrows()).containsExactly("M220 39 H250", "M468 39 H498", "M716 39 H746");
    assertThat(d.width()).isEqualTo(2 * 6 + 4 * 214 + 3 * 34);
    assertThat(d.height()).isEqualTo(2 * 6 + 66);
    // a long place is cut to the box; the full text stays in the title
    ChainBox lock = d.boxes().get(1);
    assertThat(lock.where()).hasSize(26).endsWith("…");
    assertThat(lock.full()).contains("_raw_spin_lock_irqsave+0x47").contains("hardirq, CPU 1");
  }

  @Test
  void aFifthEventWrapsToASecondRowWithAnElbowArrow() {
    List<ChainEvent> chain = new ArrayList<>(HandBuilt.seedLike("x").chain());
    chain.add(new ChainEvent("reboot", null, null, null, "Rebooting in 10 seconds..", null));
    ChainDiagram d = Objects.requireNonNull(ChainDiagrams.diagram(chain));
    assertThat(d.boxes().get(4).x()).isEqualTo(6);
    assertThat(d.boxes().get(4).y()).isEqualTo(6 + 66 + 30);
    assertThat(d.arrows().get(3)).isEqualTo("M857 72 V87 H113 V98");
    assertThat(d.height()).isEqualTo(2 * 6 + 2 * 66 + 30);
    // counter-example: no chain, no diagram
    assertThat(ChainDiagrams.diagram(List.of())).isNull();
  }

  @Test
  void stepsLinkOnlyToLinesTheReportShows() {
    var seed = HandBuilt.seedLike("x");
    LineAnchors anchors = new LineAnchors(seed.report().sources());
    anchors.present.add(anchors.of(HandBuilt.FILE, 54));
    List<ReportView.ChainStep> steps = ChainDiagrams.steps(seed.chain(), anchors);
    assertThat(steps).hasSize(4);
    assertThat(steps.get(0).anchor()).isEqualTo("L0-54");
    // the panic line (82) is cited but not shown: no link
    assertThat(steps.get(3).anchor()).isNull();
    assertThat(steps.get(1).place()).isEqualTo("hardirq, CPU 1");
  }
}
