package io.spanlog.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The hand-written payload readers against databind (the general path), on seeded random events
 * and on thousands of mangled copies of them: for every input both give the same event, or both
 * reject it with the same problem and the same words. So a consumer routes exactly the same
 * records to the dead-letter topic (or a replay skips and counts exactly the same) as before.
 */
class StreamingPayloadsTest {
  private static final int EVENTS = 300;
  private static final int MANGLED_PER_EVENT = 12;

  @Test
  void readsEveryValidEventByHandToTheValueDatabindGives() {
    Random random = new Random(7);
    for (int i = 0; i < EVENTS; i++) {
      Envelope e = randomEvent(random);
      byte[] json = EventCodec.encode(e);

      Envelope byHand = StreamingDecoder.envelope(json);

      assertThat(byHand).as("%s taken by the one-pass reader", e.type().wireName()).isNotNull();
      assertThat(byHand).isEqualTo(EventCodec.decodeByTree(json)).isEqualTo(e);
    }
  }

  @Test
  void opensEveryValidBatchByHandToTheValueDatabindGives() {
    Random random = new Random(11);
    for (int i = 0; i < EVENTS; i++) {
      HandshakeSampleBatch batch = randomBatch(random);
      byte[] json = EventCodec.encodePayload(batch);

      assertThat(StreamingDecoder.payload(EventType.HANDSHAKE_SAMPLE_BATCH, json)).isEqualTo(batch);
      assertThat((Event) EventCodec.decodePayloadByTree(EventType.HANDSHAKE_SAMPLE_BATCH, json)).isEqualTo(batch);
    }
  }

  @Test
  void mangledEventsAreReadOrRejectedExactlyAsDatabindDoes() {
    Random random = new Random(13);
    int byHand = 0;
    int rejected = 0;
    for (int i = 0; i < EVENTS; i++) {
      byte[] json = EventCodec.encode(randomEvent(random));
      for (int m = 0; m < MANGLED_PER_EVENT; m++) {
        byte[] mangled = mangle(random, json, true);
        Outcome general = outcome(() -> EventCodec.decodeByTree(mangled));
        Outcome fast = outcome(() -> EventCodec.decode(mangled));
        assertThat(fast).as("%s", new String(mangled, StandardCharsets.UTF_8)).isEqualTo(general);
        if (general.value() != null && StreamingDecoder.envelope(mangled) != null) {
          byHand++;
        }
        if (general.problem() != null) {
          rejected++;
        }
      }
    }
    // both kinds occur often enough for the comparison to mean something
    assertThat(byHand).isGreaterThan(EVENTS);
    assertThat(rejected).isGreaterThan(EVENTS);
  }

  @Test
  void mangledBatchesOpenOrAreRefusedExactlyAsDatabindDoes() {
    Random random = new Random(17);
    int byHand = 0;
    int rejected = 0;
    for (int i = 0; i < EVENTS; i++) {
      byte[] json = EventCodec.encodePayload(randomBatch(random));
      for (int m = 0; m < MANGLED_PER_EVENT; m++) {
        byte[] mangled = mangle(random, json, false);
        Outcome general = outcome(() -> EventCodec.decodePayloadByTree(EventType.HANDSHAKE_SAMPLE_BATCH, mangled));
        Outcome fast = outcome(() -> EventCodec.decodePayload(EventType.HANDSHAKE_SAMPLE_BATCH, 1, mangled));
        assertThat(fast).as("%s", new String(mangled, StandardCharsets.UTF_8)).isEqualTo(general);
        if (general.value() != null && StreamingDecoder.payload(EventType.HANDSHAKE_SAMPLE_BATCH, mangled) != null) {
          byHand++;
        }
        if (general.problem() != null) {
          rejected++;
        }
      }
    }
    assertThat(byHand).isGreaterThan(EVENTS);
    assertThat(rejected).isGreaterThan(EVENTS);
  }

  @Test
  void anotherSchemaMajorIsRejectedAsBeforeForEveryTypeReadByHand() {
    Random random = new Random(23);
    for (int i = 0; i < 40; i++) {
      String json = new String(EventCodec.encode(randomEvent(random)), StandardCharsets.UTF_8);
      for (String schema : List.of("\"schema\":2,", "\"schema\":0,", "\"schema\":-1,", "\"schema\":01,", "\"schema\":1.0,")) {
        byte[] other = json.replaceFirst("\"schema\":1,", schema).getBytes(StandardCharsets.UTF_8);
        assertThat(outcome(() -> EventCodec.decode(other))).as(schema).isEqualTo(outcome(() -> EventCodec.decodeByTree(other)));
        assertThat(outcome(() -> EventCodec.decode(other)).problem()).as(schema).isNotNull();
      }
    }
  }

  @Test
  void turnedOffDatabindReadsTheSameValues() {
    Random random = new Random(19);
    List<byte[]> records = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      records.add(EventCodec.encode(randomEvent(random)));
    }
    List<Envelope> byHand = records.stream().map(EventCodec::decode).toList();
    EventCodec.useHandWrittenReaders(false);
    try {
      assertThat(records.stream().map(EventCodec::decode).toList()).isEqualTo(byHand);
    } finally {
      EventCodec.useHandWrittenReaders(true);
    }
  }

  // ---- outcomes

  record Outcome(Object value, EventDecodingException.Problem problem, String message) {}

  private static Outcome outcome(java.util.function.Supplier<Object> decode) {
    try {
      return new Outcome(decode.get(), null, null);
    } catch (EventDecodingException e) {
      return new Outcome(null, e.problem(), e.getMessage());
    }
  }

  // ---- random events

  private static Envelope randomEvent(Random r) {
    Event payload = switch (r.nextInt(4)) {
      case 0 -> new SealedSampleBatch(key(r), r.nextInt(3) == 0 ? r.nextInt() : 1, Blob.of(bytes(r, r.nextInt(300))));
      case 1 -> randomBatch(r);
      case 2 -> new AffiliateUpdated(text(r), r.nextBoolean() ? Optional.of(Blob.of(bytes(r, r.nextInt(400)))) : Optional.empty(),
          blobs(r), Duration.ofSeconds(r.nextInt(100_000), r.nextInt(4) == 0 ? r.nextInt(1_000_000_000) : 0),
          r.nextBoolean() ? Optional.of(text(r)) : Optional.empty());
      default -> new EndpointsExpired(text(r), instant(r), blobs(r));
    };
    return Envelope.of(text(r), text(r), instant(r), text(r), payload);
  }

  private static HandshakeSampleBatch randomBatch(Random r) {
    List<PeerSample> peers = new ArrayList<>();
    int n = r.nextInt(4) == 0 ? 0 : r.nextInt(12);
    for (int i = 0; i < n; i++) {
      peers.add(new PeerSample(key(r), text(r), r.nextBoolean() ? Optional.of(text(r)) : Optional.empty(),
          EndpointSource.values()[r.nextInt(EndpointSource.values().length)], r.nextInt(5) - 1, r.nextInt(5),
          r.nextBoolean() ? Optional.of(instant(r)) : Optional.empty(),
          r.nextBoolean() ? Optional.of(instant(r)) : Optional.empty(),
          r.nextBoolean() ? r.nextLong() : r.nextInt(1_000_000), r.nextBoolean() ? Math.abs(r.nextLong()) : r.nextInt(),
          PeerState.values()[r.nextInt(PeerState.values().length)], text(r)));
    }
    return new HandshakeSampleBatch(text(r), key(r), r.nextBoolean(), peers,
        r.nextInt(3) == 0 ? Optional.empty() : Optional.of(instant(r)));
  }

  private static final String[] TEXTS = {
    "node-1", "", "ümlaut ñ", "quote \" and \\ backslash", "tab\tnew\nline", "203.0.113.9:51820", "[2001:db8::1]:51820",
    "handshake 31.6 s ago, within 275 s", "😀 emoji", "\u0000nul", "</script><b>x</b>"
  };

  private static String text(Random r) {
    return r.nextInt(3) == 0 ? Long.toString(r.nextLong(), 36) : TEXTS[r.nextInt(TEXTS.length)];
  }

  private static String key(Random r) {
    return Base64.getEncoder().encodeToString(bytes(r, 32));
  }

  private static byte[] bytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  private static List<Blob> blobs(Random r) {
    List<Blob> out = new ArrayList<>();
    for (int i = r.nextInt(4); i > 0; i--) {
      out.add(Blob.of(bytes(r, r.nextInt(40))));
    }
    return out;
  }

  private static Instant instant(Random r) {
    // years 0000 to 9999 (what Instant#toString writes without a sign); others are left to the general path
    long seconds = r.nextInt(10) == 0 ? Math.floorMod(r.nextLong(), 315_569_519_999L) - 62_167_219_200L
        : 1_700_000_000L + r.nextInt(200_000_000);
    int nanos = switch (r.nextInt(4)) {
      case 0 -> 0;
      case 1 -> r.nextInt(1000) * 1_000_000;
      case 2 -> r.nextInt(1_000_000) * 1000;
      default -> r.nextInt(1_000_000_000);
    };
    return Instant.ofEpochSecond(seconds, nanos);
  }

  // ---- mangling

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** One random change: to the JSON tree (a field dropped, nulled, retyped, duplicated…) or to the bytes. */
  private static byte[] mangle(Random r, byte[] json, boolean envelope) {
    if (r.nextInt(5) == 0) {
      return mangleBytes(r, json);
    }
    try {
      ObjectNode root = (ObjectNode) EventCodec.mapper().readTree(json);
      List<ObjectNode> objects = new ArrayList<>();
      collect(envelope && r.nextBoolean() ? root.get("payload") : root, objects);
      ObjectNode target = objects.get(r.nextInt(objects.size()));
      List<String> names = new ArrayList<>();
      target.fieldNames().forEachRemaining(names::add);
      String field = names.isEmpty() ? "x" : names.get(r.nextInt(names.size()));
      JsonNode value = target.get(field);
      switch (r.nextInt(13)) {
        case 0 -> target.remove(field);
        case 1 -> target.putNull(field);
        case 2 -> target.put(field, value != null && value.isInt() && r.nextBoolean() ? value.intValue() + 1 : r.nextInt(3) - 1);
        case 3 -> target.put(field, "x" + r.nextInt(9));
        case 4 -> target.put("unknownField" + r.nextInt(3), r.nextBoolean() ? NODES.textNode("new") : NODES.objectNode().put("a", 1));
        case 5 -> target.put(field, r.nextBoolean());
        case 6 -> target.put(field, 1.5);
        case 7 -> target.put(field, 123_456_789_012_345L);
        case 8 -> target.set(field, NODES.arrayNode().add(value == null ? NODES.nullNode() : value));
        case 9 -> { // fields in another order
          ObjectNode copy = target.deepCopy();
          target.removeAll();
          List<String> shuffled = new ArrayList<>(names);
          java.util.Collections.shuffle(shuffled, r);
          shuffled.forEach(n -> target.set(n, copy.get(n)));
        }
        case 10 -> { // an element of an array changed
          if (value instanceof ArrayNode a && !a.isEmpty()) {
            a.set(r.nextInt(a.size()), r.nextBoolean() ? NODES.nullNode() : NODES.textNode("=x=="));
          } else if (value != null && value.isTextual()) {
            target.put(field, mangleText(r, value.textValue()));
          }
        }
        case 11 -> { // text values changed slightly: base64, instants, durations, enum names
          if (value != null && value.isTextual()) {
            target.put(field, mangleText(r, value.textValue()));
          }
        }
        default -> { // a duplicate field, written by hand
          String text = EventCodec.mapper().writeValueAsString(root);
          String quoted = "\"" + field + "\":";
          int at = text.lastIndexOf(quoted);
          if (at >= 0) {
            return (text.substring(0, at) + quoted + "\"dup\"," + text.substring(at)).getBytes(StandardCharsets.UTF_8);
          }
        }
      }
      byte[] out = EventCodec.mapper().writeValueAsBytes(root);
      return r.nextInt(6) == 0 ? escapeSomeCharacter(r, out) : out;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void collect(JsonNode node, List<ObjectNode> out) {
    if (node instanceof ObjectNode o) {
      out.add(o);
    }
    for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
      collect(it.next(), out);
    }
  }

  private static String mangleText(Random r, String s) {
    List<Function<String, String>> ways = List.of(
        t -> t.isEmpty() ? "=" : t.substring(0, r.nextInt(t.length())),
        t -> t + "=",
        t -> t + "A",
        t -> t.toLowerCase(java.util.Locale.ROOT),
        t -> t.toUpperCase(java.util.Locale.ROOT),
        t -> t.replace('Z', 'z'),
        t -> t.replace("Z", "+00:00"),
        t -> t.replace('T', ' '),
        t -> t.replace("PT", "P1DT"),
        t -> t.replace('-', '_'),
        t -> t.replace('/', '_'),
        t -> " " + t,
        t -> t.isEmpty() ? "" : t.substring(0, t.length() - 1) + "!");
    return ways.get(r.nextInt(ways.size())).apply(s);
  }

  /** The same JSON with one plain character written as a \\u escape: valid, and the same value. */
  private static byte[] escapeSomeCharacter(Random r, byte[] json) {
    String s = new String(json, StandardCharsets.UTF_8);
    for (int tries = 0; tries < 20; tries++) {
      int i = r.nextInt(s.length());
      char c = s.charAt(i);
      if (Character.isLetterOrDigit(c) && isInsideString(s, i)) {
        return (s.substring(0, i) + String.format("\\u%04x", (int) c) + s.substring(i + 1)).getBytes(StandardCharsets.UTF_8);
      }
    }
    return json;
  }

  /** Characters of a string (a value or a name); escaping one outside would only make invalid JSON. */
  private static boolean isInsideString(String s, int i) {
    int quotes = 0;
    for (int k = 1; k < i; k++) {
      if (s.charAt(k) == '"' && s.charAt(k - 1) != '\\') {
        quotes++;
      }
    }
    return quotes % 2 == 1;
  }

  private static byte[] mangleBytes(Random r, byte[] json) {
    byte[] out = json.clone();
    switch (r.nextInt(4)) {
      case 0 -> {
        return java.util.Arrays.copyOf(out, 1 + r.nextInt(out.length - 1)); // an empty record is decode()'s own case
      }
      case 1 -> out[r.nextInt(out.length)] = (byte) r.nextInt(256);
      case 2 -> out[r.nextInt(out.length)] = (byte) "\"{}[],:\\ 0a=".charAt(r.nextInt(12));
      default -> {
        byte[] longer = java.util.Arrays.copyOf(out, out.length + 3);
        longer[out.length] = ' ';
        longer[out.length + 1] = r.nextBoolean() ? (byte) '}' : (byte) '1';
        longer[out.length + 2] = ' ';
        return longer;
      }
    }
    return out;
  }
}
