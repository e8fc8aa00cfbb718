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
  void aRemoteNodesNameCannotSendEscapeSequencesToTheTerminalNorAddALine() {
    String evil = "node-2\033[2J\033[1;31m\nFAKE   up";
    String text = Table.of("NODE", "LABEL", "STATE").row("node-1", evil, "up").render();
    assertThat(text).doesNotContain("\033").doesNotContain("\r");
    assertThat(text.lines()).hasSize(2);
    assertThat(text).contains("node-2\\x1b[2J\\x1b[1;31m\\x0aFAKE   up");
  }

  @Test
  void theMeshTablesPrintLabelsFromTheViewsPrintable() throws Exception {
    String specs = "{\"peers\": [{\"id\": \"K=\", \"label\": \"n\\u001b]0;pwned\\u0007\", \"address\": \"fd00::2\", "
        + "\"endpoints\": []}]}";
    var snapshot = new NodeViews.Snapshot("node-1", new NodeViews.Identity("id", "node-1", "P=", "fd00::1", "fd00::/64", 1),
        NodeViews.specs(specs), java.util.List.of());
    String text = MeshTables.peerSpecs(java.util.List.of(snapshot)).render();
    assertThat(text).doesNotContain("\033").doesNotContain("\007").contains("n\\x1b]0;pwned\\x07");
  }

  @Test
  void aRowWithTheWrongNumberOfValuesIsRefused() {
    assertThatThrownBy(() -> Table.of("A", "B").row("only one"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 values for 2 columns");
  }
}
