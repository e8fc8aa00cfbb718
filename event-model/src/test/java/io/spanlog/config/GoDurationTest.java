package io.spanlog.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {
  @Test
  void goStyleDurationsAsTheDiscoveryFlagsTakeThem() {
    assertThat(GoDuration.parse("1m")).isEqualTo(Duration.ofMinutes(1));
    assertThat(GoDuration.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(GoDuration.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(GoDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("1m30s250ms")).isEqualTo(Duration.ofMillis(90_250));
    assertThat(GoDuration.parse(" 2h ")).isEqualTo(Duration.ofHours(2));
    assertThat(GoDuration.parse("0s")).isZero();
  }

  @Test
  void anythingElseIsOneSentenceWithExamples() {
    for (String bad : new String[] {"soon", "", "10", "1x", "1m30", "m", "1.5h", "-1s", "1 m", "1m 30s"}) {
      assertThatThrownBy(() -> GoDuration.parse(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("'" + bad + "' is not a duration (examples: 500ms, 30s, 1m, 1h30m)");
    }
    assertThatThrownBy(() -> GoDuration.parse("99999999999999999999s")).hasMessageContaining("too long");
    assertThatThrownBy(() -> GoDuration.parse("9999999999999999h")).hasMessageContaining("too long");
  }

  @Test
  void nodeConfigsKeepTheirBareSecondsAndSpacedUnits() {
    assertThat(GoDuration.parseOrSeconds("275")).isEqualTo(Duration.ofSeconds(275));
    assertThat(GoDuration.parseOrSeconds("275 s")).isEqualTo(Duration.ofSeconds(275));
    assertThat(GoDuration.parseOrSeconds("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(GoDuration.parseOrSeconds("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(GoDuration.parseOrSeconds("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThatThrownBy(() -> GoDuration.parseOrSeconds("soon")).hasMessageContaining("not a duration");
    assertThatThrownBy(() -> GoDuration.parseOrSeconds("")).hasMessageContaining("not a duration");
  }
}
