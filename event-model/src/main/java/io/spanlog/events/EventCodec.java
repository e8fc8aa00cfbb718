package io.spanlog.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.spanlog.events.EventDecodingException.Problem;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The JSON form of events: a versioned envelope around a typed payload.
 *
 * <pre>
 * {"type":"affiliate.updated","schema":1,"id":"…","cluster":"…","subject":"…",
 *  "at":"2026-11-25T10:00:00.123Z","producer":"…","payload":{…}}
 * </pre>
 *
 * <p>Decoding is strict: every field must be present (optional values as {@code null}) except
 * the optional fields a type lists as {@linkplain EventType#addedLater() added later}, no
 * unknown field is accepted, and the type and schema must be known. A record that fails any of
 * these raises {@link EventDecodingException} naming the problem, so consumers can route it to
 * the dead-letter topic instead of guessing.
 */
public final class EventCodec {
  private static final String[] ENVELOPE_FIELDS = {
    "type", "schema", "id", "cluster", "subject", "at", "producer", "payload"
  };

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new Jdk8Module())
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
          .build();

  private EventCodec() {}

  /** The mapper configured for Spanlog's JSON: also used for snapshots and status views. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static byte[] encode(Envelope envelope) {
    EventType type = envelope.type();
    ObjectNode node = MAPPER.createObjectNode();
    node.put("type", type.wireName());
    node.put("schema", type.schema());
    node.put("id", envelope.eventId());
    node.put("cluster", envelope.clusterId());
    node.put("subject", envelope.subject());
    node.put("at", envelope.at().toString());
    node.put("producer", envelope.producer());
    node.set("payload", MAPPER.valueToTree(envelope.payload()));
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + type.wireName() + " event", e);
    }
  }

  public static Envelope decode(byte[] json) {
    if (json == null || json.length == 0) {
      throw new EventDecodingException(Problem.MALFORMED_JSON, "empty record: no JSON envelope");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new EventDecodingException(
          Problem.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new EventDecodingException(Problem.MALFORMED_JSON, "not valid JSON: " + e, e);
    }
    if (root == null || !root.isObject()) {
      throw new EventDecodingException(Problem.MALFORMED_JSON, "envelope is not a JSON object");
    }
    for (String field : ENVELOPE_FIELDS) {
      if (!root.hasNonNull(field)) {
        throw new EventDecodingException(
            Problem.MISSING_FIELD, "envelope field '" + field + "' is missing");
      }
    }
    for (var it = root.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!List.of(ENVELOPE_FIELDS).contains(name)) {
        throw new EventDecodingException(
            Problem.INVALID_FIELD, "unknown envelope field '" + name + "'");
      }
    }
    String typeName = text(root, "type");
    EventType type =
        EventType.byWireName(typeName)
            .orElseThrow(
                () ->
                    new EventDecodingException(
                        Problem.UNKNOWN_TYPE, "unknown event type '" + typeName + "'"));
    JsonNode schemaNode = root.get("schema");
    if (!schemaNode.isInt()) {
      throw new EventDecodingException(
          Problem.INVALID_FIELD, "envelope field 'schema' must be an integer");
    }
    if (schemaNode.intValue() != type.schema()) {
      throw new EventDecodingException(
          Problem.UNKNOWN_SCHEMA,
          "event type '"
              + typeName
              + "' has no schema version "
              + schemaNode.intValue()
              + " (this build reads version "
              + type.schema()
              + ")");
    }
    Instant at;
    try {
      at = Instant.parse(text(root, "at"));
    } catch (DateTimeParseException e) {
      throw new EventDecodingException(
          Problem.INVALID_FIELD, "envelope field 'at' is not an ISO-8601 instant", e);
    }
    Event payload = payload(type, root.get("payload"));
    try {
      return new Envelope(
          text(root, "id"),
          text(root, "cluster"),
          text(root, "subject"),
          at,
          text(root, "producer"),
          payload);
    } catch (RuntimeException e) {
      throw new EventDecodingException(Problem.INVALID_FIELD, e.getMessage(), e);
    }
  }

  /** The JSON form of a payload alone, as carried by the telemetry API. */
  public static byte[] encodePayload(Event payload) {
    try {
      return MAPPER.writeValueAsBytes(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + EventType.of(payload).wireName(), e);
    }
  }

  /**
   * Decodes a payload of a known type and schema from its JSON form, as strictly as
   * {@link #decode(byte[])} decodes a whole envelope.
   */
  public static <E extends Event> E decodePayload(EventType type, int schema, byte[] json) {
    if (schema != type.schema()) {
      throw new EventDecodingException(
          Problem.UNKNOWN_SCHEMA,
          "event type '" + type.wireName() + "' has no schema version " + schema
              + " (this build reads version " + type.schema() + ")");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new EventDecodingException(
          Problem.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new EventDecodingException(Problem.MALFORMED_JSON, "not valid JSON: " + e, e);
    }
    if (node == null) {
      throw new EventDecodingException(Problem.MALFORMED_JSON, "empty payload");
    }
    @SuppressWarnings("unchecked")
    E event = (E) payload(type, node);
    return event;
  }

  private static Event payload(EventType type, JsonNode node) {
    if (!node.isObject()) {
      throw new EventDecodingException(
          Problem.INVALID_FIELD, type.wireName() + ": payload is not a JSON object");
    }
    ObjectNode payload = (ObjectNode) node;
    for (String field : type.addedLater()) {
      if (!payload.has(field)) {
        payload = payload.deepCopy();
        payload.putNull(field);
      }
    }
    try {
      return MAPPER.treeToValue(payload, type.payloadClass());
    } catch (UnrecognizedPropertyException e) {
      throw new EventDecodingException(
          Problem.INVALID_FIELD,
          type.wireName() + ": unknown payload field '" + e.getPropertyName() + "'",
          e);
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new EventDecodingException(
          Problem.INVALID_FIELD, type.wireName() + ": " + cause.getMessage(), e);
    } catch (MismatchedInputException e) {
      String message = e.getOriginalMessage();
      Problem problem =
          // Jackson words it "Missing required creator property" up to 2.1x and
          // "Missing creator property" since; it has no distinct exception type for it.
          message.startsWith("Missing required creator property")
                  || message.startsWith("Missing creator property")
                  || message.startsWith("Null value for creator property")
              ? Problem.MISSING_FIELD
              : Problem.INVALID_FIELD;
      throw new EventDecodingException(
          problem, type.wireName() + ": " + message + at(e), e);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new EventDecodingException(
          Problem.INVALID_FIELD, type.wireName() + ": " + e.getMessage(), e);
    }
  }

  private static String at(MismatchedInputException e) {
    String path = e.getPathReference();
    return path == null ? "" : " (at " + path.replace("io.spanlog.events.", "") + ")";
  }

  private static String text(JsonNode root, String field) {
    JsonNode n = root.get(field);
    if (!n.isTextual()) {
      throw new EventDecodingException(
          Problem.INVALID_FIELD, "envelope field '" + field + "' must be a string");
    }
    return n.textValue();
  }
}
