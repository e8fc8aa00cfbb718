package io.spanlog.events;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.time.Instant;

/**
 * Telemetry records (a {@code telemetry.sealed-batch} envelope: ≈5 kB, nine tenths of it the
 * sealed bytes in base64) read straight from their bytes, exactly as {@link EventCodec#encode}
 * writes them:
 *
 * <pre>
 * {"type":"telemetry.sealed-batch","schema":1,"id":"…","cluster":"…","subject":"…","at":"…",
 *  "producer":"…","payload":{"nodePublicKey":"…","schema":N,"sealed":"…"}}
 * </pre>
 *
 * <p>They are most of what a replay reads, and a JSON parser goes over the base64 text three
 * times (to find the string, to hand it out, to skip it); here its end is found eight bytes a
 * step and the JDK's decoder (the general path's) decodes it in one pass. Anything else — another field order, white space, an escape or a non-ASCII
 * character in a string, another number form — answers {@code null}, and the record takes the
 * parser's path, which decides and words everything as before. Strings taken here are the
 * printable ASCII characters other than {@code "} and {@code \}, which JSON reads as themselves.
 */
final class SealedBatchRecords {
  private SealedBatchRecords() {}

  private static final byte[] START = ascii("{\"type\":\"telemetry.sealed-batch\",\"schema\":");
  private static final byte[] ID = ascii(",\"id\":");
  private static final byte[] CLUSTER = ascii(",\"cluster\":");
  private static final byte[] SUBJECT = ascii(",\"subject\":");
  private static final byte[] AT = ascii(",\"at\":");
  private static final byte[] PRODUCER = ascii(",\"producer\":");
  private static final byte[] PAYLOAD = ascii(",\"payload\":{\"nodePublicKey\":");
  private static final byte[] SCHEMA = ascii(",\"schema\":");
  private static final byte[] SEALED = ascii(",\"sealed\":\"");

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** The record's envelope, or null when it is not a telemetry record of exactly this shape. */
  static Envelope envelope(byte[] json) {
    if (!startsWith(json, 0, START)) {
      return null;
    }
    Cursor c = new Cursor(json, START.length);
    if (c.positiveInt() != EventType.TELEMETRY_SEALED_BATCH.schema()) {
      return null; // another major: the parser's path names it
    }
    String id = c.field(ID);
    String cluster = c.field(CLUSTER);
    String subject = c.field(SUBJECT);
    if (subject == null || !c.expect(AT) || !c.expect('"')) {
      return null;
    }
    int atStart = c.at;
    if (!c.skipString()) {
      return null;
    }
    Instant at = instant(json, atStart, c.at - 1 - atStart);
    String producer = c.field(PRODUCER);
    String node = c.field(PAYLOAD);
    if (at == null || producer == null || node == null || id == null || cluster == null || !c.expect(SCHEMA)) {
      return null;
    }
    long schema = c.signedInt();
    if (schema == Long.MIN_VALUE || !c.expect(SEALED)) {
      return null;
    }
    int from = c.at;
    int end = indexOfQuote(json, from);
    if (end < 0) {
      return null;
    }
    c.at = end + 1;
    if (!c.expect('}') || !c.expect('}') || c.at != json.length) {
      return null;
    }
    byte[] sealed;
    try {
      // the decoder the general path uses (Blob.ofBase64), on the text between the quotes: it
      // rejects anything but base64, so an escape or a non-ASCII byte sends the record there too
      sealed = Base64.getDecoder().decode(ByteBuffer.wrap(json, from, end - from)).array();
    } catch (IllegalArgumentException e) {
      return null;
    }
    return new Envelope(id, cluster, subject, at, producer, new SealedSampleBatch(node, (int) schema, Blob.wrap(sealed)));
  }

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long QUOTES = 0x2222222222222222L;
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /** The first {@code "} at or after {@code from}, eight bytes a step; -1 if none. */
  static int indexOfQuote(byte[] json, int from) {
    int i = from;
    for (; i + Long.BYTES <= json.length; i += Long.BYTES) {
      long w = (long) LONGS.get(json, i) ^ QUOTES; // a quote byte becomes zero
      if (((w - ONES) & ~w & HIGHS) != 0) {
        break;
      }
    }
    for (; i < json.length; i++) {
      if (json[i] == '"') {
        return i;
      }
    }
    return -1;
  }

  private static boolean startsWith(byte[] json, int at, byte[] prefix) {
    if (json.length - at < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (json[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static Instant instant(byte[] json, int off, int len) {
    if (len < 20 || len > 30) {
      return null;
    }
    char[] c = new char[len];
    for (int i = 0; i < len; i++) {
      c[i] = (char) json[off + i];
    }
    return StreamingDecoder.instant(c, 0, len);
  }

  private static final class Cursor {
    final byte[] json;
    int at;

    Cursor(byte[] json, int at) {
      this.json = json;
      this.at = at;
    }

    boolean expect(byte[] text) {
      if (!startsWith(json, at, text)) {
        return false;
      }
      at += text.length;
      return true;
    }

    boolean expect(char ch) {
      if (at < json.length && json[at] == ch) {
        at++;
        return true;
      }
      return false;
    }

    /** {@code name} then a plain string; null if not there. */
    String field(byte[] name) {
      if (!expect(name) || !expect('"')) {
        return null;
      }
      int start = at;
      if (!skipString()) {
        return null;
      }
      return new String(json, start, at - 1 - start, StandardCharsets.ISO_8859_1);
    }

    /** Past the closing quote of a string of plain printable ASCII; false for anything else. */
    boolean skipString() {
      for (int i = at; i < json.length; i++) {
        byte b = json[i];
        if (b == '"') {
          at = i + 1;
          return true;
        }
        if (b < 0x20 || b == '\\' || b == 0x7f) { // b < 0: non-ASCII
          return false;
        }
      }
      return false;
    }

    /** 1 to 9 digits, no leading zero: -1 for any other form. */
    int positiveInt() {
      long v = signedInt();
      return v >= 1 && v <= Integer.MAX_VALUE ? (int) v : -1;
    }

    /** An int as JSON writes it ({@code -?(0|[1-9][0-9]*)}, within int range); Long.MIN_VALUE for another form. */
    long signedInt() {
      boolean negative = expect('-');
      int start = at;
      long v = 0;
      while (at < json.length && json[at] >= '0' && json[at] <= '9') {
        v = v * 10 + (json[at] - '0');
        at++;
        if (at - start > 10) {
          return Long.MIN_VALUE;
        }
      }
      int digits = at - start;
      if (digits == 0 || (digits > 1 && json[start] == '0')) {
        return Long.MIN_VALUE;
      }
      if (at < json.length && (json[at] == '.' || json[at] == 'e' || json[at] == 'E')) {
        return Long.MIN_VALUE;
      }
      v = negative ? -v : v;
      return v < Integer.MIN_VALUE || v > Integer.MAX_VALUE ? Long.MIN_VALUE : v;
    }
  }
}
