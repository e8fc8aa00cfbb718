package io.spanlog.history.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.PeerSample;
import io.spanlog.events.SealedSampleBatch;
import io.spanlog.telemetry.Opening;
import io.spanlog.telemetry.TelemetrySeal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code ctl history export}'s rows: one per event, and one per peer sample of a handshake sample
 * batch (sealed batches opened with the cluster's secret). Every row has the same {@link #COLUMNS}
 * (empty where they do not apply), so a CSV loads as one table in pandas or DuckDB. Pure.
 *
 * <p>A sealed batch without its cluster's secret (or one the secret does not open) is one row
 * with its clear header only: the node's public key and the sealed size; {@code sealed} says why.
 */
public final class EventRows {
  /** The columns, in order. */
  public static final List<String> COLUMNS = List.of(
      "topic", "partition", "offset", "at", "cluster", "type", "subject", "producer", "event_id",
      "node", "peer", "peer_label", "endpoint", "endpoint_source", "endpoint_index", "candidate_count",
      "state", "rule", "last_handshake", "last_endpoint_change", "rx_bytes", "tx_bytes", "discovery_reachable",
      "sealed", "payload");

  /** {@code sealed} of a batch opened with the cluster's secret. */
  public static final String OPENED = "opened";
  /** {@code sealed} of a batch that was written unsealed (an older agent, a test). */
  public static final String CLEAR = "clear";
  /** {@code sealed} of a batch exported as its clear header: no secret for its cluster. */
  public static final String NO_SECRET = "sealed: no secret for this cluster";

  /** The start of {@code sealed} for a batch the given secret did not open (the reason follows). */
  public static final String NOT_OPENED = "sealed: not opened: ";

  /** Where a record was read. */
  public record Position(String topic, int partition, long offset) {}

  /** One row: column name to value (a string, a number, a boolean, JSON for {@code payload}, or null). */
  public record Row(Map<String, Object> values) {
    public Object get(String column) {
      return values.get(column);
    }
  }

  private EventRows() {}

  /**
   * The rows of one event.
   *
   * @param secrets the secret of a cluster, if the operator gave it
   */
  public static List<Row> of(Position at, Envelope envelope, Function<String, Optional<ClusterSecret>> secrets) {
    if (envelope.payload() instanceof HandshakeSampleBatch batch) {
      return samples(at, envelope, batch, CLEAR);
    }
    if (envelope.payload() instanceof SealedSampleBatch sealed) {
      Optional<ClusterSecret> secret = secrets.apply(envelope.clusterId());
      if (secret.isEmpty()) {
        return List.of(header(at, envelope, sealed, NO_SECRET));
      }
      Opening opening = new TelemetrySeal(secret.get()).open(envelope.clusterId(), sealed);
      if (opening instanceof Opening.Opened opened) {
        return samples(at, envelope, opened.batch(), OPENED);
      }
      return List.of(header(at, envelope, sealed, NOT_OPENED + ((Opening.Refused) opening).reason()));
    }
    Map<String, Object> row = base(at, envelope);
    row.put("payload", EventCodec.mapper().valueToTree(envelope.payload()));
    return List.of(new Row(row));
  }

  private static Row header(Position at, Envelope envelope, SealedSampleBatch sealed, String why) {
    Map<String, Object> row = base(at, envelope);
    row.put("node", sealed.nodePublicKey());
    row.put("sealed", why);
    ObjectNode payload = EventCodec.mapper().createObjectNode();
    payload.put("nodePublicKey", sealed.nodePublicKey());
    payload.put("schema", sealed.schema());
    payload.put("sealedBytes", sealed.sealed().size());
    row.put("payload", payload);
    return new Row(row);
  }

  private static List<Row> samples(Position at, Envelope envelope, HandshakeSampleBatch batch, String sealed) {
    List<Row> rows = new ArrayList<>();
    Instant sampled = batch.sampledAtOr(envelope.at());
    for (PeerSample p : batch.peers()) {
      Map<String, Object> row = base(at, envelope);
      row.put("at", sampled.toString());
      row.put("node", batch.publicKey());
      row.put("peer", p.publicKey());
      row.put("peer_label", p.label());
      row.put("endpoint", p.endpoint().orElse(null));
      row.put("endpoint_source", p.endpointSource().wireName());
      row.put("endpoint_index", p.endpointIndex());
      row.put("candidate_count", p.candidateCount());
      row.put("state", p.state().wireName());
      row.put("rule", p.rule());
      row.put("last_handshake", p.lastHandshake().map(Instant::toString).orElse(null));
      row.put("last_endpoint_change", p.lastEndpointChange().map(Instant::toString).orElse(null));
      row.put("rx_bytes", p.rxBytes());
      row.put("tx_bytes", p.txBytes());
      row.put("discovery_reachable", batch.discoveryReachable());
      row.put("sealed", sealed);
      rows.add(new Row(row));
    }
    return rows;
  }

  private static Map<String, Object> base(Position at, Envelope envelope) {
    Map<String, Object> row = new LinkedHashMap<>();
    COLUMNS.forEach(c -> row.put(c, null));
    row.put("topic", at.topic());
    row.put("partition", at.partition());
    row.put("offset", at.offset());
    row.put("at", envelope.at().toString());
    row.put("cluster", envelope.clusterId());
    row.put("type", envelope.type().wireName());
    row.put("subject", envelope.subject());
    row.put("producer", envelope.producer());
    row.put("event_id", envelope.eventId());
    return row;
  }

  /** The payload column as CSV holds it: compact JSON text. */
  static String text(Object value) {
    return value instanceof JsonNode json ? json.toString() : value == null ? null : value.toString();
  }
}
