package io.spanlog.history.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimeSpecTest {
  static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @Test
  void nowIsTheClocksInstant() {
    assertThat(TimeSpec.parse("now", CLOCK)).isEqualTo(NOW);
    assertThat(TimeSpec.parse(" NOW ", CLOCK)).isEqualTo(NOW);
  }

  @Test
  void relativeFormsGoBackFromNow() {
    assertThat(TimeSpec.parse("-30s", CLOCK)).isEqualTo(Instant.parse("2026-11-27T11:59:30Z"));
    assertThat(TimeSpec.parse("-15m", CLOCK)).isEqualTo(Instant.parse("2026-11-27T11:45:00Z"));
    assertThat(TimeSpec.parse("-2h", CLOCK)).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
    assertThat(TimeSpec.parse("-1d", CLOCK)).isEqualTo(Instant.parse("2026-11-26T12:00:00Z"));
  }

  @Test
  void rfc3339WithZoneOffsetFractionOrSpace() {
    assertThat(TimeSpec.parse("2026-11-27T03:12:00Z", CLOCK)).isEqualTo(Instant.parse("2026-11-27T03:12:00Z"));
    assertThat(TimeSpec.parse("2026-11-27T04:12:00+01:00", CLOCK)).isEqualTo(Instant.parse("2026-11-27T03:12:00Z"));
    assertThat(TimeSpec.parse("2026-11-27 03:12:00.250z", CLOCK)).isEqualTo(Instant.parse("2026-11-27T03:12:00.250Z"));
  }

  @Test
  void badFormsAreOneSentenceNamingTheForms() {
    assertThatThrownBy(() -> TimeSpec.parse("yesterday", CLOCK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'yesterday' is not a TIME; give " + TimeSpec.FORMS);
    assertThatThrownBy(() -> TimeSpec.parse("-15", CLOCK))
        .hasMessageStartingWith("'-15' is not a TIME: a relative time is a minus sign, a whole number and one unit");
    assertThatThrownBy(() -> TimeSpec.parse("-2w", CLOCK)).hasMessageContaining("one unit of s, m, h or d");
    assertThatThrownBy(() -> TimeSpec.parse("+5m", CLOCK)).hasMessageContaining("is not a TIME");
    assertThatThrownBy(() -> TimeSpec.parse("2026-11-27T03:12:00", CLOCK))
        .hasMessageContaining("it needs a time zone: Z or an offset");
    assertThatThrownBy(() -> TimeSpec.parse("2026-13-40T03:12:00Z", CLOCK)).hasMessageContaining("is not a TIME");
    assertThatThrownBy(() -> TimeSpec.parse("", CLOCK)).hasMessageContaining("a TIME is empty");
  }
}
