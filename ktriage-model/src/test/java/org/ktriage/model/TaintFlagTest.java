package org.ktriage.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaintFlagTest {
  private static List<Character> letters(String printed) {
    return TaintFlag.letters(new Taint(printed)).stream().map(TaintFlag.Letter::letter).toList();
  }

  @Test
  void positionalLettersAsPrintedByKernels() {
    // taint strings as they stand in real reports of the shared corpus
    assertThat(letters("G           OE     ")).containsExactly('G', 'O', 'E');
    assertThat(letters("P           O")).containsExactly('P', 'O');
    assertThat(letters("G    B        ")).containsExactly('G', 'B');
    assertThat(TaintFlag.letters(new Taint("G        W  ")).get(1).meaning())
        .isEqualTo("a warning was issued earlier");
    assertThat(TaintFlag.letters(new Taint("G")).get(0).meaning())
        .isEqualTo("only GPL modules loaded");
  }

  @Test
  void verboseFormIsReadByItsBracketedLetters() {
    // "Tainted: [L]=SOFTLOCKUP" (syzkaller corpus report 999): the S, O, F … of the names are not
    // flags
    assertThat(letters("[L]=SOFTLOCKUP")).containsExactly('L');
    assertThat(letters("[W]=WARN, [O]=OOT_MODULE")).containsExactly('W', 'O');
  }

  @Test
  void untaintedAndUnknownLettersGiveNothing() {
    assertThat(letters("Not tainted")).isEmpty();
    assertThat(letters("")).isEmpty();
    assertThat(letters("Z")).isEmpty();
  }

  @Test
  void eachBitAndLetterOnce() {
    Set<Character> printed = new HashSet<>();
    int bit = 0;
    for (TaintFlag f : TaintFlag.values()) {
      // one line per bit, in bit order, none skipped: the table reads like taint_flags[]
      assertThat(f.bit()).as("%s", f).isEqualTo(bit++);
      assertThat(printed.add(f.letter())).as("letter %s", f.letter()).isTrue();
    }
    assertThat(printed).doesNotContain(TaintFlag.GPL_ONLY);
  }
}
