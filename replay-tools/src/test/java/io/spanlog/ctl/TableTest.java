package io.spanlog.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void columnsAlignOnTheWidestCellWithThreeSpacesBetween() {
    String text = Table.of("NODE", "STATE", "RX")
        .row("node-1", "up", "18400")
        .row("n2", "unknown", "0")
        .render();
    assertThat(text).isEqualTo(
        "NODE     STATE     RX\n"
            + "node-1   up        18400\n"
            + "n2       unknown   0\n");
  }

  @Test
  void theLastColumnHasNoTrailingSpacesAndMissingValuesAreEmpty() {
    String text = Table.of("A", "B").row("x", null).row("longer", "y").render();
    assertThat(text.lines()).noneMatch(l -> l.endsWith(" "));
    assertThat(text).contains("x\n");
  }

  @Test
  void aRowWithTheWrongNumberOfValuesIsRefused() {
    assertThatThrownBy(() -> Table.of("A", "B").row("only one"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 values for 2 columns");
  }
}
