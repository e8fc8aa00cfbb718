package io.spanlog.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spanlog.events.EventDecodingException.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {

  static Stream<Envelope> samples() {
    return SampleEvents.all().stream();
  }

  @Test
  void theSamplesCoverEveryEventType() {
    assertThat(SampleEvents.all().stream().map(Envelope::type).distinct())
        .containsExactlyInAnyOrder(EventType.values());
  }

  @ParameterizedTest
  @MethodSource("samples")
  void everyEventRoundTripsThroughJson(Envelope envelope) {
    Envelope decoded = EventCodec.decode(EventCodec.encode(envelope));

    assertThat(decoded).isEqualTo(envelope);
    assertThat(decoded.at()).isEqualTo(envelope.at()); // microseconds survive
  }

  @ParameterizedTest
  @MethodSource("samples")
  void theStreamingEncoderWritesTheSameBytesAsTheTreeEncoderDid(Envelope envelope) {
    // records already in every log were written by the tree encoder: a replay must not see a difference
    assertThat(new String(EventCodec.encode(envelope), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(new String(EventCodec.encodeThroughTree(envelope), java.nio.charset.StandardCharsets.UTF_8));
  }

  @org.junit.jupiter.api.Test
  void theStreamingEncoderEscapesLikeTheTreeEncoder() {
    Envelope odd = Envelope.of("clüster \"ü\" \u0001\n", "nöde/\\", SampleEvents.AT, "prod\u2028ucer",
        new AffiliateDeleted("nöde/\\", java.util.Optional.of("2001:db8::1")));
    assertThat(EventCodec.encode(odd)).isEqualTo(EventCodec.encodeThroughTree(odd));
  }

  @ParameterizedTest
  @MethodSource("samples")
  void theEnvelopeNamesTypeAndSchema(Envelope envelope) throws Exception {
    JsonNode json = EventCodec.mapper().readTree(EventCodec.encode(envelope));

    assertThat(json.get("type").textValue()).isEqualTo(envelope.type().wireName());
    assertThat(json.get("schema").intValue()).isEqualTo(envelope.type().schema());
    assertThat(json.get("cluster").textValue()).isEqualTo(envelope.clusterId());
    assertThat(json.get("at").textValue()).isEqualTo("2026-11-25T10:15:30.123456Z");
  }

  @Test
  void bytesAreBase64InJson() throws Exception {
    JsonNode payload =
        EventCodec.mapper()
            .readTree(EventCodec.encode(SampleEvents.envelope("node-a", SampleEvents.affiliateUpdated())))
            .get("payload");

    assertThat(Base64.getDecoder().decode(payload.get("data").textValue()))
        .containsExactly(1, 2, 3, 4, 5, 0xfe, 0xff);
    assertThat(payload.get("endpoints").get(0).textValue())
        .isEqualTo(Base64.getEncoder().encodeToString(new byte[] {0x00, 0x11, 0x22, 0x33}));
  }

  @Test
  void notJsonIsMalformed() {
    assertProblem("{\"type\": ".getBytes(StandardCharsets.UTF_8), Problem.MALFORMED_JSON);
    assertProblem("hello".getBytes(StandardCharsets.UTF_8), Problem.MALFORMED_JSON);
    assertProblem(new byte[0], Problem.MALFORMED_JSON);
    assertProblem("[1,2]".getBytes(StandardCharsets.UTF_8), Problem.MALFORMED_JSON);
  }

  @Test
  void anUnknownTypeIsNamed() {
    byte[] json = edit(sample(), root -> root.put("type", "affiliate.renamed"));

    EventDecodingException e = failure(json);

    assertThat(e.problem()).isEqualTo(Problem.UNKNOWN_TYPE);
    assertThat(e).hasMessageContaining("affiliate.renamed");
  }

  @Test
  void anUnknownSchemaVersionIsNamed() {
    byte[] json = edit(sample(), root -> root.put("schema", 99));

    EventDecodingException e = failure(json);

    assertThat(e.problem()).isEqualTo(Problem.UNKNOWN_SCHEMA);
    assertThat(e).hasMessageContaining("99");
  }

  @Test
  void aMissingEnvelopeFieldIsNamed() {
    for (String field : List.of("type", "schema", "id", "cluster", "subject", "at", "producer", "payload")) {
      byte[] json = edit(sample(), root -> root.remove(field));

      EventDecodingException e = failure(json);

      assertThat(e.problem()).as("without %s", field).isEqualTo(Problem.MISSING_FIELD);
      assertThat(e).hasMessageContaining(field);
    }
  }

  @Test
  void aMissingPayloadFieldIsNamed() {
    byte[] json = edit(sample(), root -> ((ObjectNode) root.get("payload")).remove("ttl"));

    EventDecodingException e = failure(json);

    assertThat(e.problem()).isEqualTo(Problem.MISSING_FIELD);
    assertThat(e).hasMessageContaining("ttl");
  }

  @Test
  void aConsumerReadsANewerEventOfItsMajorIgnoringFieldsItDoesNotKnow() {
    // What a producer one release ahead may write within schema 1: new fields in the envelope,
    // in the payload and in a record nested in the payload.
    Envelope batch = SampleEvents.envelope("node-a", SampleEvents.handshakeSampleBatch());
    byte[] newer =
        edit(
            batch,
            root -> {
              root.put("traceId", "4bf92f3577b34da6");
              ObjectNode payload = (ObjectNode) root.get("payload");
              payload.put("kernelVersion", "6.12");
              payload.putObject("host").put("uptimeSeconds", 12);
              ((ObjectNode) payload.get("peers").get(0)).put("rttMicros", 840);
            });

    assertThat(EventCodec.decode(newer)).isEqualTo(batch);
  }

  @Test
  void aPayloadFromANewerProducerOfTheSameMajorDecodes() {
    HandshakeSampleBatch batch = SampleEvents.handshakeSampleBatch();
    byte[] newer =
        edit(EventCodec.encodePayload(batch), payload -> payload.put("kernelVersion", "6.12"));

    HandshakeSampleBatch decoded =
        EventCodec.decodePayload(
            EventType.HANDSHAKE_SAMPLE_BATCH, EventType.HANDSHAKE_SAMPLE_BATCH.schema(), newer);

    assertThat(decoded).isEqualTo(batch);
  }

  @Test
  void anOlderEventWithoutAnOptionalFieldAddedSinceDecodesItAsEmpty() {
    // The log keeps events written before an optional field was added to the major.
    AffiliateUpdated updated = SampleEvents.affiliateUpdated();
    assertThat(updated.origin()).isPresent();
    byte[] older =
        edit(
            SampleEvents.envelope("node-a", updated),
            root -> ((ObjectNode) root.get("payload")).remove("origin"));

    AffiliateUpdated decoded = (AffiliateUpdated) EventCodec.decode(older).payload();

    assertThat(decoded.origin()).isEmpty();
    assertThat(decoded.affiliateId()).isEqualTo(updated.affiliateId());
  }

  @Test
  void aNewerMajorIsRejectedNamingTheTypeAndBothVersions() {
    int newer = EventType.AFFILIATE_UPDATED.schema() + 1;
    byte[] json = edit(sample(), root -> root.put("schema", newer));

    EventDecodingException e = failure(json);

    assertThat(e.problem()).isEqualTo(Problem.UNKNOWN_SCHEMA);
    assertThat(e)
        .hasMessageContaining("'affiliate.updated'")
        .hasMessageContaining("schema version " + newer)
        .hasMessageContaining("newer than this build reads (version "
            + EventType.AFFILIATE_UPDATED.schema() + ")");
  }

  @Test
  void aNewerMajorPayloadIsRejectedToo() {
    EventType type = EventType.HANDSHAKE_SAMPLE_BATCH;
    byte[] json = EventCodec.encodePayload(SampleEvents.handshakeSampleBatch());

    EventDecodingException e =
        catchThrowableOfType(
            EventDecodingException.class,
            () -> EventCodec.decodePayload(type, type.schema() + 1, json));

    assertThat(e.problem()).isEqualTo(Problem.UNKNOWN_SCHEMA);
    assertThat(e).hasMessageContaining("'handshake.sample-batch' schema version " + (type.schema() + 1));
  }

  @Test
  void aMissingRequiredFieldStaysAnErrorAtAnyDepth() {
    Envelope batch = SampleEvents.envelope("node-a", SampleEvents.handshakeSampleBatch());
    byte[] noFlag = edit(batch, root -> ((ObjectNode) root.get("payload")).remove("discoveryReachable"));
    byte[] noRule =
        edit(batch, root -> ((ObjectNode) root.get("payload").get("peers").get(0)).remove("rule"));
    byte[] noCount =
        edit(
            batch,
            root -> ((ObjectNode) root.get("payload").get("peers").get(0)).remove("candidateCount"));

    Map<String, byte[]> withoutField =
        Map.of("discoveryReachable", noFlag, "rule", noRule, "candidateCount", noCount);

    withoutField.forEach(
        (field, json) -> {
          EventDecodingException e = failure(json);

          assertThat(e.problem()).as("without %s", field).isEqualTo(Problem.MISSING_FIELD);
          assertThat(e).hasMessageContaining(field);
        });
  }

  @Test
  void aBatchWrittenBeforeSampleTimesExistedStillReadsAndFallsBackToItsAppendTime() {
    byte[] old =
        edit(
            SampleEvents.envelope("node-a", SampleEvents.handshakeSampleBatch()),
            root -> ((ObjectNode) root.get("payload")).remove("sampledAt"));

    Envelope decoded = EventCodec.decode(old);

    HandshakeSampleBatch batch = (HandshakeSampleBatch) decoded.payload();
    assertThat(batch.sampledAt()).isEmpty();
    assertThat(batch.sampledAtOr(decoded.at())).isEqualTo(SampleEvents.AT);
    assertThat(batch.peers()).isEqualTo(SampleEvents.handshakeSampleBatch().peers());
  }

  @Test
  void aBatchCarriesTheAgentsSampleTime() throws Exception {
    HandshakeSampleBatch batch = SampleEvents.handshakeSampleBatch();
    JsonNode payload =
        EventCodec.mapper()
            .readTree(EventCodec.encode(SampleEvents.envelope("node-a", batch)))
            .get("payload");

    assertThat(payload.get("sampledAt").textValue()).isEqualTo("2026-11-25T10:15:29.987654Z");
    assertThat(batch.sampledAtOr(SampleEvents.AT)).isEqualTo(batch.sampledAt().orElseThrow());
  }

  @Test
  void aRequiredFieldOfAnOlderRecordMayNotBeMissing() {
    byte[] json =
        edit(
            SampleEvents.envelope("node-a", SampleEvents.handshakeSampleBatch()),
            root -> ((ObjectNode) root.get("payload")).remove("discoveryReachable"));

    EventDecodingException e = failure(json);

    assertThat(e.problem()).isEqualTo(Problem.MISSING_FIELD);
    assertThat(e).hasMessageContaining("discoveryReachable");
  }

  @Test
  void badValuesAreInvalidFields() {
    byte[] badTime = edit(sample(), root -> root.put("at", "yesterday"));
    byte[] badSchema = edit(sample(), root -> root.put("schema", "one"));
    byte[] badEnum =
        edit(
            SampleEvents.envelope(
                "a/b",
                new EndpointObserved(
                    "a", "k1", "k2", "b", "192.0.2.1:51820", EndpointSource.ADVERTISED,
                    SampleEvents.AT)),
            root -> ((ObjectNode) root.get("payload")).put("source", "rumour"));
    byte[] badBase64 =
        edit(sample(), root -> ((ObjectNode) root.get("payload")).put("data", "%%%not base64"));

    for (byte[] json : List.of(badTime, badSchema, badEnum, badBase64)) {
      EventDecodingException e = failure(json);

      assertThat(e.problem()).as(new String(json, StandardCharsets.UTF_8)).isEqualTo(Problem.INVALID_FIELD);
    }
  }

  private static EventDecodingException failure(byte[] json) {
    EventDecodingException e =
        catchThrowableOfType(EventDecodingException.class, () -> EventCodec.decode(json));
    assertThat(e).as("decoding %s must fail", new String(json, StandardCharsets.UTF_8)).isNotNull();
    return e;
  }

  private static Envelope sample() {
    return SampleEvents.envelope("node-a", SampleEvents.affiliateUpdated());
  }

  private static byte[] edit(Envelope envelope, Consumer<ObjectNode> change) {
    return edit(EventCodec.encode(envelope), change);
  }

  private static byte[] edit(byte[] json, Consumer<ObjectNode> change) {
    try {
      ObjectNode root = (ObjectNode) EventCodec.mapper().readTree(json);
      change.accept(root);
      return EventCodec.mapper().writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void assertProblem(byte[] json, Problem problem) {
    EventDecodingException e = failure(json);

    assertThat(e.problem()).isEqualTo(problem);
  }
}
