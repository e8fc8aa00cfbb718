package io.spanlog.observer.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spanlog.events.EventCodec;
import io.spanlog.observer.nodes.ClusterClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class JsonSerdeTest {
  @Test
  void instantsReadDirectlyAreTheInstantsTheMapperWrote() throws Exception {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      long seconds = random.nextLong(-62_167_219_200L, 253_402_300_799L); // years 0000-9999
      int nanos = switch (i % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1_000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1_000;
        default -> random.nextInt(1_000_000_000);
      };
      Instant at = Instant.ofEpochSecond(seconds, nanos);
      String text = EventCodec.mapper().writeValueAsString(at);
      String bare = text.substring(1, text.length() - 1);

      assertThat(JsonSerde.parseInstant(bare)).as(bare).isEqualTo(at).isEqualTo(Instant.parse(bare));
    }
  }

  @Test
  void otherFormsAreLeftToJacksonsOwnReader() {
    for (String other : new String[] {"2026-11-25T10:00:00+01:00", "2026-11-25T10:00:60Z",
        "2026-02-30T10:00:00Z", "+12026-11-25T10:00:00Z", "2026-11-25T10:00:00.Z",
        "2026-11-25T10:00:00.1234567890Z", "2026-11-25 10:00:00Z", "2026-11-25T1x:00:00Z", "1764064800"}) {
      assertThat(JsonSerde.parseInstant(other)).as(other).isNull();
    }
  }

  @Test
  void aStoreValueReadsBackEqualAndAsTheMapperReadsIt() throws Exception {
    JsonSerde<ClusterClock> serde = new JsonSerde<>(ClusterClock.class);
    ClusterClock clock = ClusterClock.start(Instant.parse("2026-11-25T10:00:00.123456Z"),
        Instant.parse("2026-11-25T10:00:00.5Z"));
    byte[] bytes = serde.serializer().serialize("t", clock);

    assertThat(bytes).isEqualTo(EventCodec.mapper().writeValueAsBytes(clock));
    assertThat(serde.deserializer().deserialize("t", bytes))
        .isEqualTo(clock)
        .isEqualTo(EventCodec.mapper().readValue(bytes, ClusterClock.class));
  }

  @Test
  void anInstantInAnotherFormStillReadsAndABrokenOneIsStillAnError() throws Exception {
    JsonSerde<ClusterClock> serde = new JsonSerde<>(ClusterClock.class);
    String written = new String(serde.serializer().serialize("t",
        ClusterClock.start(Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-25T10:00:01Z"))),
        StandardCharsets.UTF_8);
    String offset = written.replace("2026-11-25T10:00:01Z", "2026-11-25T11:00:01+01:00");
    String broken = written.replace("2026-11-25T10:00:01Z", "2026-11-25T10:00:01");

    assertThat(serde.deserializer().deserialize("t", offset.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(EventCodec.mapper().readValue(offset, ClusterClock.class));
    assertThatThrownBy(() -> serde.deserializer().deserialize("t", broken.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SerializationException.class);
  }
}
