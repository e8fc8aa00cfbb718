package io.spanlog.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Hand-written readers of the payloads a replay is made of: sealed sample batches (most of the
 * telemetry topic), the sample batch inside them (what opening one reads) and the discovery
 * events the fold needs most ({@code affiliate.updated}, {@code endpoints.expired}). They read
 * straight off Jackson's streaming parser, with no databind, no bean properties and no
 * intermediate objects.
 *
 * <p>The same contract as {@link StreamingDecoder}: a reader takes only the shape this build
 * writes, in any field order, with unknown fields skipped and null read as empty for an {@code
 * Optional} (as databind reads both), and answers {@code null} for anything
 * else (a null, a missing or duplicate field, a number where a string is, an enum constant or a
 * time of another form), so the record goes to the general path, which decides and words the
 * rejection exactly as before. It never accepts what that path rejects nor decodes a value
 * differently ({@code StreamingPayloadsTest} checks both, on valid and on mangled records).
 */
final class StreamingPayloads {
  private StreamingPayloads() {}

  /**
   * The payload at the parser's {@code START_OBJECT}, read by hand where a reader exists; {@link
   * #NO_READER} for the types left to databind; null when the record is not of the common shape.
   * On return the parser is at the payload's {@code END_OBJECT}.
   */
  static Event read(EventType type, JsonParser p, byte[] json) throws IOException {
    return switch (type) {
      case TELEMETRY_SEALED_BATCH -> sealedBatch(p, json);
      case HANDSHAKE_SAMPLE_BATCH -> sampleBatch(p, json);
      case AFFILIATE_UPDATED -> affiliateUpdated(p, json);
      case ENDPOINTS_EXPIRED -> endpointsExpired(p, json);
      default -> NO_READER;
    };
  }

  /** Marks a type without a hand-written reader (never a decoded value). */
  static final Event NO_READER = new AffiliateDeleted("(no hand-written reader)", Optional.empty());

  private static SealedSampleBatch sealedBatch(JsonParser p, byte[] json) throws IOException {
    String node = null;
    int schema = 0;
    Blob sealed = null;
    int seen = 0;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      int bit;
      switch (name) {
        case "nodePublicKey" -> {
          bit = 1;
          if ((node = string(t, p)) == null) {
            return null;
          }
        }
        case "schema" -> {
          bit = 2;
          if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            return null;
          }
          schema = p.getIntValue();
        }
        case "sealed" -> {
          bit = 4;
          if ((sealed = blob(t, p, json)) == null) {
            return null;
          }
        }
        default -> {
          p.skipChildren();
          continue;
        }
      }
      if ((seen & bit) != 0) {
        return null;
      }
      seen |= bit;
    }
    return seen == 7 ? new SealedSampleBatch(node, schema, sealed) : null;
  }

  private static HandshakeSampleBatch sampleBatch(JsonParser p, byte[] json) throws IOException {
    String nodeId = null;
    String publicKey = null;
    boolean reachable = false;
    List<PeerSample> peers = null;
    Optional<Instant> sampledAt = Optional.empty();
    int seen = 0;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      int bit;
      switch (name) {
        case "nodeId" -> {
          bit = 1;
          if ((nodeId = string(t, p)) == null) {
            return null;
          }
        }
        case "publicKey" -> {
          bit = 2;
          if ((publicKey = string(t, p)) == null) {
            return null;
          }
        }
        case "discoveryReachable" -> {
          bit = 4;
          if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
            return null;
          }
          reachable = t == JsonToken.VALUE_TRUE;
        }
        case "peers" -> {
          bit = 8;
          if (t != JsonToken.START_ARRAY) {
            return null;
          }
          peers = new ArrayList<>(16);
          while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
            PeerSample s = peerSample(p);
            if (s == null) {
              return null;
            }
            peers.add(s);
          }
          if (t != JsonToken.END_ARRAY) {
            return null;
          }
        }
        case "sampledAt" -> {
          bit = 16;
          if (t != JsonToken.VALUE_NULL) { // null: absent, as databind reads an Optional
            Instant at = instant(t, p);
            if (at == null) {
              return null;
            }
            sampledAt = Optional.of(at);
          }
        }
        default -> {
          p.skipChildren();
          continue;
        }
      }
      if ((seen & bit) != 0) {
        return null;
      }
      seen |= bit;
    }
    if ((seen & 15) != 15) {
      return null; // sampledAt alone may be absent (batches written before it existed)
    }
    return new HandshakeSampleBatch(nodeId, publicKey, reachable, peers, sampledAt);
  }

  private static PeerSample peerSample(JsonParser p) throws IOException {
    String publicKey = null;
    String label = null;
    Optional<String> endpoint = Optional.empty();
    EndpointSource source = null;
    int index = 0;
    int candidates = 0;
    Optional<Instant> lastChange = Optional.empty();
    Optional<Instant> lastHandshake = Optional.empty();
    long rx = 0;
    long tx = 0;
    PeerState state = null;
    String rule = null;
    int seen = 0;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      int bit;
      switch (name) {
        case "publicKey" -> {
          bit = 1;
          if ((publicKey = string(t, p)) == null) {
            return null;
          }
        }
        case "label" -> {
          bit = 2;
          if ((label = string(t, p)) == null) {
            return null;
          }
        }
        case "endpoint" -> {
          bit = 4;
          if (t != JsonToken.VALUE_NULL) {
            String e = string(t, p);
            if (e == null) {
              return null;
            }
            endpoint = Optional.of(e);
          }
        }
        case "endpointSource" -> {
          bit = 8;
          if ((source = endpointSource(t, p)) == null) {
            return null;
          }
        }
        case "endpointIndex" -> {
          bit = 16;
          if (!isInt(t, p)) {
            return null;
          }
          index = p.getIntValue();
        }
        case "candidateCount" -> {
          bit = 32;
          if (!isInt(t, p)) {
            return null;
          }
          candidates = p.getIntValue();
        }
        case "lastEndpointChange" -> {
          bit = 64;
          if (t != JsonToken.VALUE_NULL) {
            Instant at = instant(t, p);
            if (at == null) {
              return null;
            }
            lastChange = Optional.of(at);
          }
        }
        case "lastHandshake" -> {
          bit = 128;
          if (t != JsonToken.VALUE_NULL) {
            Instant at = instant(t, p);
            if (at == null) {
              return null;
            }
            lastHandshake = Optional.of(at);
          }
        }
        case "rxBytes" -> {
          bit = 256;
          if (!isLong(t, p)) {
            return null;
          }
          rx = p.getLongValue();
        }
        case "txBytes" -> {
          bit = 512;
          if (!isLong(t, p)) {
            return null;
          }
          tx = p.getLongValue();
        }
        case "state" -> {
          bit = 1024;
          if ((state = peerState(t, p)) == null) {
            return null;
          }
        }
        case "rule" -> {
          bit = 2048;
          if ((rule = string(t, p)) == null) {
            return null;
          }
        }
        default -> {
          p.skipChildren();
          continue;
        }
      }
      if ((seen & bit) != 0) {
        return null;
      }
      seen |= bit;
    }
    // the Optionals (endpoint, lastEndpointChange, lastHandshake) may be absent
    if ((seen & ~(4 | 64 | 128)) != (4095 & ~(4 | 64 | 128))) {
      return null;
    }
    return new PeerSample(publicKey, label, endpoint, source, index, candidates, lastChange, lastHandshake, rx, tx,
        state, rule);
  }

  private static AffiliateUpdated affiliateUpdated(JsonParser p, byte[] json) throws IOException {
    String id = null;
    Optional<Blob> data = Optional.empty();
    List<Blob> endpoints = null;
    Duration ttl = null;
    Optional<String> origin = Optional.empty();
    int seen = 0;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      int bit;
      switch (name) {
        case "affiliateId" -> {
          bit = 1;
          if ((id = string(t, p)) == null) {
            return null;
          }
        }
        case "data" -> {
          bit = 2;
          if (t != JsonToken.VALUE_NULL) {
            Blob b = blob(t, p, json);
            if (b == null) {
              return null;
            }
            data = Optional.of(b);
          }
        }
        case "endpoints" -> {
          bit = 4;
          if ((endpoints = blobs(t, p, json)) == null) {
            return null;
          }
        }
        case "ttl" -> {
          bit = 8;
          if (t != JsonToken.VALUE_STRING
              || (ttl = StreamingDecoder.duration(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())) == null) {
            return null;
          }
        }
        case "origin" -> {
          bit = 16;
          if (t != JsonToken.VALUE_NULL) {
            String o = string(t, p);
            if (o == null) {
              return null;
            }
            origin = Optional.of(o);
          }
        }
        default -> {
          p.skipChildren();
          continue;
        }
      }
      if ((seen & bit) != 0) {
        return null;
      }
      seen |= bit;
    }
    if ((seen & (1 | 4 | 8)) != (1 | 4 | 8)) {
      return null;
    }
    return new AffiliateUpdated(id, data, endpoints, ttl, origin);
  }

  private static EndpointsExpired endpointsExpired(JsonParser p, byte[] json) throws IOException {
    String id = null;
    Instant now = null;
    List<Blob> endpoints = null;
    int seen = 0;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      int bit;
      switch (name) {
        case "affiliateId" -> {
          bit = 1;
          if ((id = string(t, p)) == null) {
            return null;
          }
        }
        case "now" -> {
          bit = 2;
          if ((now = instant(t, p)) == null) {
            return null;
          }
        }
        case "endpoints" -> {
          bit = 4;
          if ((endpoints = blobs(t, p, json)) == null) {
            return null;
          }
        }
        default -> {
          p.skipChildren();
          continue;
        }
      }
      if ((seen & bit) != 0) {
        return null;
      }
      seen |= bit;
    }
    return seen == 7 ? new EndpointsExpired(id, now, endpoints) : null;
  }

  // ---- values

  private static String string(JsonToken t, JsonParser p) throws IOException {
    return t == JsonToken.VALUE_STRING ? p.getText() : null;
  }

  private static boolean isInt(JsonToken t, JsonParser p) throws IOException {
    return t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT;
  }

  private static boolean isLong(JsonToken t, JsonParser p) throws IOException {
    if (t != JsonToken.VALUE_NUMBER_INT) {
      return false;
    }
    JsonParser.NumberType n = p.getNumberType();
    return n == JsonParser.NumberType.INT || n == JsonParser.NumberType.LONG;
  }

  private static Instant instant(JsonToken t, JsonParser p) throws IOException {
    return t == JsonToken.VALUE_STRING
        ? StreamingDecoder.instant(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())
        : null;
  }

  private static EndpointSource endpointSource(JsonToken t, JsonParser p) throws IOException {
    if (t != JsonToken.VALUE_STRING) {
      return null;
    }
    return switch (p.getText()) {
      case "advertised" -> EndpointSource.ADVERTISED;
      case "public-ip" -> EndpointSource.PUBLIC_IP;
      case "harvested" -> EndpointSource.HARVESTED;
      case "configured" -> EndpointSource.CONFIGURED;
      case "unknown" -> EndpointSource.UNKNOWN;
      default -> null;
    };
  }

  private static PeerState peerState(JsonToken t, JsonParser p) throws IOException {
    if (t != JsonToken.VALUE_STRING) {
      return null;
    }
    return switch (p.getText()) {
      case "up" -> PeerState.UP;
      case "down" -> PeerState.DOWN;
      case "unknown" -> PeerState.UNKNOWN;
      default -> null;
    };
  }

  private static List<Blob> blobs(JsonToken t, JsonParser p, byte[] json) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      return null;
    }
    List<Blob> out = new ArrayList<>(4);
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      Blob b = blob(t, p, json);
      if (b == null) {
        return null;
      }
      out.add(b);
    }
    return out;
  }

  /** A base64 string value, from the parser's characters (a telemetry record's big one is {@link SealedBatchRecords}' job). */
  private static Blob blob(JsonToken t, JsonParser p, byte[] json) throws IOException {
    if (t != JsonToken.VALUE_STRING) {
      return null;
    }
    byte[] bytes = StreamingDecoder.base64(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
    return bytes == null ? null : Blob.wrap(bytes);
  }
}
