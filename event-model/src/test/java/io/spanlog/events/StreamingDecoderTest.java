package io.spanlog.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one-pass decoder is a shortcut, never a second definition: it takes every event this build
 * writes, gives exactly what the general (tree) path gives, and declines everything else.
 */
class StreamingDecoderTest {

  @Test
  void takesEveryEventThisBuildWritesAndDecodesItAsTheGeneralPathDoes() {
    for (Envelope e : SampleEvents.all()) {
      byte[] json = EventCodec.encode(e);

      Envelope streamed = StreamingDecoder.envelope(json);

      assertThat(streamed).as(e.type().wireName()).isNotNull().isEqualTo(EventCodec.decodeByTree(json));
      assertThat(streamed).isEqualTo(e);
    }
  }

  @Test
  void takesAPayloadAloneAsTheGeneralPathDoes() {
    HandshakeSampleBatch batch = SampleEvents.handshakeSampleBatch();
    byte[] json = EventCodec.encodePayload(batch);

    assertThat(StreamingDecoder.payload(EventType.HANDSHAKE_SAMPLE_BATCH, json)).isEqualTo(batch);
    assertThat(StreamingDecoder.payload(EventType.HANDSHAKE_SAMPLE_BATCH, "[1]".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(StreamingDecoder.payload(EventType.HANDSHAKE_SAMPLE_BATCH, (new String(json, StandardCharsets.UTF_8) + " {}").getBytes(StandardCharsets.UTF_8))).isNull();
  }

  @Test
  void declinesOtherShapesWhichTheGeneralPathStillReads() throws Exception {
    Envelope e = SampleEvents.envelope("node-a", SampleEvents.affiliateUpdated());
    ObjectNode root = (ObjectNode) EventCodec.mapper().readTree(EventCodec.encode(e));
    // payload before type: valid, but not the order this build writes
    ObjectNode reordered = EventCodec.mapper().createObjectNode();
    reordered.set("payload", root.get("payload"));
    root.fields().forEachRemaining(f -> reordered.set(f.getKey(), f.getValue()));
    byte[] payloadFirst = EventCodec.mapper().writeValueAsBytes(reordered);
    // a duplicate field: the general path keeps the last value
    String json = new String(EventCodec.encode(e), StandardCharsets.UTF_8);
    byte[] duplicate = json.replaceFirst("\"subject\":", "\"subject\":\"first\",\"subject\":").getBytes(StandardCharsets.UTF_8);

    assertThat(StreamingDecoder.envelope(payloadFirst)).isNull();
    assertThat(EventCodec.decode(payloadFirst)).isEqualTo(e);
    assertThat(StreamingDecoder.envelope(duplicate)).isNull();
    assertThat(EventCodec.decode(duplicate)).isEqualTo(e);
  }

  @Test
  void declinesWhatTheGeneralPathRejects() {
    byte[] json = EventCodec.encode(SampleEvents.envelope("node-a", SampleEvents.affiliateUpdated()));
    String text = new String(json, StandardCharsets.UTF_8);
    for (String bad : List.of(
        text.substring(0, text.length() - 1), // truncated
        text + "{}", // trailing content
        text.replace("\"schema\":1", "\"schema\":2"),
        text.replace("\"ttl\":\"PT30M\"", "\"ttl\":null"),
        text.replaceFirst("\"data\":\"", "\"data\":\" "))) { // whitespace inside base64
      assertThat(StreamingDecoder.envelope(bad.getBytes(StandardCharsets.UTF_8))).as(bad).isNull();
    }
  }

  @Test
  void readsInstantsInTheFormInstantWritesToTheSameValue() {
    Random random = new Random(12);
    for (int i = 0; i < 20_000; i++) {
      Instant at = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_799L),
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1000;
            default -> random.nextInt(1_000_000_000);
          });
      assertThat(instant(at.toString())).isEqualTo(at);
    }
    assertThat(instant("2028-02-29T23:59:59.1Z")).isEqualTo(Instant.parse("2028-02-29T23:59:59.1Z"));
  }

  @Test
  void leavesEveryOtherTimeFormToInstantParse() {
    for (String s : List.of("2026-11-25T24:00:00Z", "2026-11-25T23:59:60Z", "2026-11-25t10:00:00Z",
        "2026-11-25T10:00:00z", "2026-11-25T10:00:00+01:00", "2026-11-25T10:00:00.Z",
        "2026-11-25T10:00:00.1234567890Z", "2027-02-29T10:00:00Z", "2026-13-01T10:00:00Z",
        "+12026-11-25T10:00:00Z", " 2026-11-25T10:00:00Z", "2026-11-25 10:00:00Z", "yesterday")) {
      assertThat(instant(s)).as(s).isNull();
    }
  }

  @Test
  void readsBase64AsTheJdkDecoderDoes() {
    Random random = new Random(7);
    for (int n = 0; n < 64; n++) {
      byte[] bytes = new byte[n];
      random.nextBytes(bytes);
      String padded = Base64.getEncoder().encodeToString(bytes);
      String unpadded = Base64.getEncoder().withoutPadding().encodeToString(bytes);
      assertThat(base64(padded)).isEqualTo(bytes);
      assertThat(base64(unpadded)).isEqualTo(bytes);
    }
  }

  @Test
  void declinesBase64TheJdkDecoderRejects() {
    for (String s : List.of("A", "AB=", "A===", "====", "AB=C", "AB C", "AB\nC", "AB-_", "ABCDé===", "AB==AB==", "ABCDE")) {
      assertThat(base64(s)).as(s).isNull();
      assertThatThrownBy(() -> Base64.getDecoder().decode(s)).as(s).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void readsTtlsAsDurationParseDoes() {
    for (String s : List.of("PT30M", "PT0S", "PT1H", "PT1H30M", "PT2H0M5S", "PT45S", "PT720H",
        "PT4M35.5S", "PT0.000000001S", "PT1H0.25S", "PT12.123456789S")) {
      assertThat(duration(s)).as(s).isEqualTo(Duration.parse(s));
    }
    for (String s : List.of("PT-1S", "PT.5S", "PT0.S", "PT0.5M", "PT1.5S3S", "PT0.1234567891S", "P1D", "PT", "PTM", "PT1M1H", "PT1S1S", "pt30m")) {
      assertThat(duration(s)).as(s).isNull();
    }
  }

  @Test
  void readsEveryNonNegativeDurationAsWrittenToTheSameValue() {
    Random random = new Random(3);
    for (int i = 0; i < 20_000; i++) {
      Duration d = Duration.ofSeconds(random.nextLong(100_000_000L), i % 2 == 0 ? 0 : random.nextInt(1_000_000_000));
      assertThat(duration(d.toString())).as(d.toString()).isEqualTo(d);
    }
  }

  private static Instant instant(String s) {
    Instant fast = StreamingDecoder.instant(s.toCharArray(), 0, s.length());
    if (fast != null) {
      assertThat(fast).isEqualTo(Instant.parse(s));
    }
    return fast;
  }

  private static byte[] base64(String s) {
    // inside a larger buffer, as the parser hands it over
    char[] buffer = ("xx" + s + "yy").toCharArray();
    return StreamingDecoder.base64(buffer, 2, s.length());
  }

  private static Duration duration(String s) {
    char[] buffer = ("x" + s).toCharArray();
    return StreamingDecoder.duration(buffer, 1, s.length());
  }

  @Test
  void instantParseRejectsWhatTheShortcutDeclines() {
    // the declined forms above are either other valid forms or rejected by the general path too
    assertThatThrownBy(() -> Instant.parse("2027-02-29T10:00:00Z")).isInstanceOf(DateTimeParseException.class);
  }
}
