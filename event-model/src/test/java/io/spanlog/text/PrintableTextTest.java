package io.spanlog.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTextTest {

  @Test
  void ordinaryNamesOfAnyScriptStayAsTheyAre() {
    for (String name : new String[] {"node-1", "worker.example.com", "Knoten-ü", "节点一", "emoji-\uD83D\uDE80", ""}) {
      assertThat(PrintableText.of(name)).isSameAs(name);
    }
  }

  @Test
  void terminalEscapeSequencesBecomeVisibleText() {
    String clearScreen = "evil\033[2J\033[H";
    assertThat(PrintableText.of(clearScreen)).isEqualTo("evil\\x1b[2J\\x1b[H");
    assertThat(PrintableText.of("a\u009b31mred")).as("C1 CSI, one byte in Latin-1 terminals").isEqualTo("a\\x9b31mred");
    assertThat(PrintableText.of("bell\u0007del\u007f")).isEqualTo("bell\\x07del\\x7f");
  }

  @Test
  void aNameCannotFakeANewLogLine() {
    String forged = "node-2\n2026-01-01 INFO peer node-9 is up\r";
    String printable = PrintableText.of(forged);
    assertThat(printable).doesNotContain("\n").doesNotContain("\r")
        .isEqualTo("node-2\\x0a2026-01-01 INFO peer node-9 is up\\x0d");
    assertThat(PrintableText.of("a\u2028b\u2029c\td")).isEqualTo("a\\u2028b\\u2029c\\x09d");
  }

  @Test
  void bidirectionalOverridesCannotReorderTheTextAround() {
    assertThat(PrintableText.of("node\u202Eexe.txt")).isEqualTo("node\\u202eexe.txt");
    assertThat(PrintableText.of("\u2066x\u2069\u200f")).isEqualTo("\\u2066x\\u2069\\u200f");
  }

  @Test
  void unpairedSurrogatesAreEscapedPairsKept() {
    assertThat(PrintableText.of("a\uD83Db")).isEqualTo("a\\ud83db");
    assertThat(PrintableText.of("\uDE80")).isEqualTo("\\ude80");
    assertThat(PrintableText.of("\uD83D\uDE80")).isEqualTo("\uD83D\uDE80");
  }

  @Test
  void nullStaysNullAndEveryOutputIsPrintable() {
    assertThat(PrintableText.of(null)).isNull();
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0x3000; c++) {
      all.append(c);
    }
    String out = PrintableText.of(all.toString());
    assertThat(out.chars()).noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e));
  }
}
