package io.spanlog.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The one-pass reader behind {@link EventCodec#decode(byte[])}: it reads the envelope and its
 * payload straight off the JSON parser, where the general path builds a JSON tree first, then
 * converts it, with every string and base64 blob copied two or three times on the way. Replay
 * is mostly decoding, so this pass is most of a replay's time: one pass makes a full replay of
 * the discovery log several times faster (see the {@code bench history} figures).
 *
 * <p>It takes only the common, well-formed shape: a JSON object with {@code type} and {@code
 * schema} before {@code payload} (the order {@link EventCodec#encode} writes), no duplicate
 * envelope field, string fields as strings, times as {@code yyyy-MM-ddTHH:mm:ss[.f…]Z}, blobs as
 * strict base64. For anything else it answers {@code null}, and the caller decodes the record by
 * the general path, which accepts, rejects and words errors exactly as before: this pass never
 * accepts what the general path would reject, nor decodes a value differently.
 */
final class StreamingDecoder {
  private StreamingDecoder() {}

  /** Thrown by the fast deserializers to hand the record to the general path. */
  private static final class NotTheCommonShape extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotTheCommonShape() {
      super(null, null, false, false);
    }
  }

  private static final NotTheCommonShape BAIL = new NotTheCommonShape();

  /** The codec's mapper, with base64 and instants read straight from the parser's characters. */
  private static final ObjectMapper FAST = fastMapper();

  private static final ObjectReader[] PAYLOAD_READERS = payloadReaders();

  private static ObjectMapper fastMapper() {
    SimpleModule direct = new SimpleModule("spanlog-streaming-decoder");
    direct.addDeserializer(Blob.class, new BlobDeserializer());
    direct.addDeserializer(Instant.class, new InstantDeserializer());
    direct.addDeserializer(Duration.class, new DurationDeserializer());
    // registered last, so these come before the time module's deserializers
    return EventCodec.mapper().copy().registerModule(direct);
  }

  private static ObjectReader[] payloadReaders() {
    EventType[] types = EventType.values();
    ObjectReader[] readers = new ObjectReader[types.length];
    for (EventType t : types) {
      // the envelope goes on after its payload; the end of the record is checked here instead
      readers[t.ordinal()] =
          EventCodec.payloadReader(FAST)
              .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
              .forType(t.payloadClass());
    }
    return readers;
  }

  /** The envelope, or null when the record is not of the common shape (or not valid at all). */
  static Envelope envelope(byte[] json) {
    if (handWritten) {
      Envelope telemetry = SealedBatchRecords.envelope(json);
      if (telemetry != null) {
        return telemetry;
      }
    }
    try (JsonParser p = FAST.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      EventType type = null;
      int schema = 0;
      String id = null;
      String cluster = null;
      String subject = null;
      Instant at = null;
      String producer = null;
      Event payload = null;
      int seen = 0;
      String name;
      while ((name = p.nextFieldName()) != null) {
        int bit = bit(name);
        if (bit == 0) { // a field of a newer producer: skipped, as the general path does
          p.nextToken();
          p.skipChildren();
          continue;
        }
        if ((seen & bit) != 0) {
          return null; // duplicates: the general path keeps the last one
        }
        seen |= bit;
        JsonToken t = p.nextToken();
        switch (bit) {
          case TYPE -> {
            if (t != JsonToken.VALUE_STRING) {
              return null;
            }
            type = EventType.byWireNameOrNull(p.getText());
            if (type == null) {
              return null;
            }
          }
          case SCHEMA -> {
            if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
              return null;
            }
            schema = p.getIntValue();
          }
          case PAYLOAD -> {
            if (t != JsonToken.START_OBJECT || type == null || schema != type.schema()) {
              return null;
            }
            payload = payload(type, p, json);
            if (payload == null) {
              return null;
            }
          }
          case AT -> {
            if (t != JsonToken.VALUE_STRING) {
              return null;
            }
            at = instant(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            if (at == null) {
              return null;
            }
          }
          default -> {
            if (t != JsonToken.VALUE_STRING) {
              return null;
            }
            String text = p.getText();
            switch (bit) {
              case ID -> id = text;
              case CLUSTER -> cluster = text;
              case SUBJECT -> subject = text;
              default -> producer = text;
            }
          }
        }
      }
      if (seen != ALL || p.nextToken() != null) {
        return null; // a field missing, or trailing content: the general path says which
      }
      return new Envelope(id, cluster, subject, at, producer, payload);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** A payload alone, or null when it is not of the common shape. */
  static Event payload(EventType type, byte[] json) {
    try (JsonParser p = FAST.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      Event payload = payload(type, p, json);
      return p.nextToken() == null ? payload : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Whether the hand-written readers of {@link StreamingPayloads} are used (the default), or
   * databind reads every payload as it did before them. Only a benchmark turns them off, to time
   * both on the same log in one run ({@link EventCodec#useHandWrittenReaders}).
   */
  static volatile boolean handWritten = true;

  /** The payload at the parser's START_OBJECT, by hand where a reader exists, else by databind. */
  private static Event payload(EventType type, JsonParser p, byte[] json) throws IOException {
    if (handWritten) {
      Event read = StreamingPayloads.read(type, p, json);
      if (read != StreamingPayloads.NO_READER) {
        return read;
      }
    }
    return PAYLOAD_READERS[type.ordinal()].readValue(p);
  }

  private static final int TYPE = 1;
  private static final int SCHEMA = 2;
  private static final int ID = 4;
  private static final int CLUSTER = 8;
  private static final int SUBJECT = 16;
  private static final int AT = 32;
  private static final int PRODUCER = 64;
  private static final int PAYLOAD = 128;
  private static final int ALL = 255;

  private static int bit(String name) {
    // field names are interned by the parser's symbol table: compare by content all the same
    return switch (name) {
      case "type" -> TYPE;
      case "schema" -> SCHEMA;
      case "id" -> ID;
      case "cluster" -> CLUSTER;
      case "subject" -> SUBJECT;
      case "at" -> AT;
      case "producer" -> PRODUCER;
      case "payload" -> PAYLOAD;
      default -> 0;
    };
  }

  /**
   * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, the form {@link Instant#toString()} writes for the
   * years 0000–9999, read to the value {@link Instant#parse} gives; null for any other form
   * (hours 24, leap seconds, offsets, lower case, other years), left to {@link Instant#parse}.
   */
  static Instant instant(char[] c, int off, int len) {
    if (len < 20 || len > 30 || c[off + len - 1] != 'Z') {
      return null;
    }
    int year = digits(c, off, 4);
    int month = digits(c, off + 5, 2);
    int day = digits(c, off + 8, 2);
    int hour = digits(c, off + 11, 2);
    int minute = digits(c, off + 14, 2);
    int second = digits(c, off + 17, 2);
    if ((year | month | day | hour | minute | second) < 0
        || c[off + 4] != '-' || c[off + 7] != '-' || c[off + 10] != 'T'
        || c[off + 13] != ':' || c[off + 16] != ':'
        || hour > 23 || minute > 59 || second > 59) {
      return null;
    }
    int nanos = 0;
    int end = off + len - 1; // the 'Z'
    int i = off + 19;
    if (i < end) {
      if (c[i] != '.' || end - i - 1 < 1) {
        return null; // len ≤ 30 bounds the fraction at 9 digits
      }
      int scale = 100_000_000;
      for (i++; i < end; i++) {
        int d = c[i] - '0';
        if (d < 0 || d > 9) {
          return null;
        }
        nanos += d * scale;
        scale /= 10;
      }
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      return null;
    }
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600 + minute * 60 + second, nanos);
  }

  private static int digits(char[] c, int at, int n) {
    int v = 0;
    for (int i = at; i < at + n; i++) {
      int d = c[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  /** Base64 straight from the parser's characters into the blob's own array: one copy, not three. */
  private static final class BlobDeserializer extends JsonDeserializer<Blob> {
    @Override
    public Blob deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        throw BAIL;
      }
      byte[] bytes = base64(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
      if (bytes == null) {
        throw BAIL;
      }
      return Blob.wrap(bytes);
    }
  }

  private static final byte[] BASE64 = new byte[128];

  static {
    java.util.Arrays.fill(BASE64, (byte) -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < alphabet.length(); i++) {
      BASE64[alphabet.charAt(i)] = (byte) i;
    }
  }

  /**
   * Standard base64 (RFC 4648 section 4) as {@link java.util.Base64#getDecoder()} reads it, for the
   * forms it accepts: whole 4-character units with "=" or "==" padding at the very end, or an
   * unpadded last unit of 2 or 3 characters. Null for anything else (a character outside the
   * alphabet, misplaced padding, a lone last character), which that decoder rejects.
   */
  static byte[] base64(char[] c, int off, int len) {
    if (len % 4 == 1) {
      return null;
    }
    int pad = 0;
    if (len % 4 == 0 && len > 0 && c[off + len - 1] == '=') {
      pad = c[off + len - 2] == '=' ? 2 : 1;
    }
    int chars = len - pad;
    byte[] out = new byte[chars * 3 / 4];
    int o = 0;
    int i = off;
    int whole = off + chars / 4 * 4;
    while (i < whole) {
      int bits = value(c[i]) << 18 | value(c[i + 1]) << 12 | value(c[i + 2]) << 6 | value(c[i + 3]);
      if (bits < 0) {
        return null;
      }
      out[o++] = (byte) (bits >> 16);
      out[o++] = (byte) (bits >> 8);
      out[o++] = (byte) bits;
      i += 4;
    }
    int rest = off + chars - i;
    if (rest == 2) {
      int bits = value(c[i]) << 18 | value(c[i + 1]) << 12;
      if (bits < 0) {
        return null;
      }
      out[o] = (byte) (bits >> 16);
    } else if (rest == 3) {
      int bits = value(c[i]) << 18 | value(c[i + 1]) << 12 | value(c[i + 2]) << 6;
      if (bits < 0) {
        return null;
      }
      out[o++] = (byte) (bits >> 16);
      out[o] = (byte) (bits >> 8);
    } else if (rest == 1) {
      return null; // "x===" and the like
    }
    return out;
  }

  /** The 6 bits of a base64 character; negative (all high bits set) for any other character. */
  private static int value(char ch) {
    return ch < 128 ? BASE64[ch] : -1;
  }

  /** {@code PT[nH][nM][n[.f]S]} with unsigned numbers: what Duration writes for TTLs and spans; else the time module's reader. */
  private static final class DurationDeserializer extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        throw BAIL;
      }
      Duration d = duration(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
      if (d == null) {
        throw BAIL;
      }
      return d;
    }
  }

  /**
   * {@code PT[nH][nM][n[.f{1,9}]S]}, units in that order, numbers unsigned and below 10^9, read to
   * the value {@link Duration#parse} gives; null for any other form (signs, days, lower case).
   */
  static Duration duration(char[] c, int off, int len) {
    if (len < 4 || len > 40 || c[off] != 'P' || c[off + 1] != 'T') {
      return null;
    }
    long seconds = 0;
    int nanos = 0;
    long n = -1;
    int unitsSeen = 0; // H=4, M=2, S=1, in that order only
    int end = off + len;
    for (int i = off + 2; i < end; i++) {
      char ch = c[i];
      if (ch >= '0' && ch <= '9') {
        n = (n < 0 ? 0 : n) * 10 + (ch - '0');
        if (n >= 1_000_000_000L) {
          return null;
        }
        continue;
      }
      if (ch == '.') { // a fraction of seconds: digits, then the final 'S'
        if (n < 0 || (unitsSeen & 1) != 0 || c[end - 1] != 'S' || end - 1 - (i + 1) < 1 || end - 1 - (i + 1) > 9) {
          return null;
        }
        int scale = 100_000_000;
        for (i++; i < end - 1; i++) {
          int d = c[i] - '0';
          if (d < 0 || d > 9) {
            return null;
          }
          nanos += d * scale;
          scale /= 10;
        }
        ch = 'S'; // i is now at the 'S'
      }
      int unit = ch == 'H' ? 4 : ch == 'M' ? 2 : ch == 'S' ? 1 : 0;
      if (unit == 0 || n < 0 || (unitsSeen & ((unit << 1) - 1)) != 0) {
        return null;
      }
      unitsSeen |= unit;
      seconds += n * (unit == 4 ? 3_600 : unit == 2 ? 60 : 1);
      n = -1;
    }
    return n < 0 && unitsSeen != 0 ? Duration.ofSeconds(seconds, nanos) : null;
  }

  private static final class InstantDeserializer extends JsonDeserializer<Instant> {
    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        throw BAIL;
      }
      Instant at = instant(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
      if (at == null) {
        throw BAIL;
      }
      return at;
    }
  }
}
