package io.spanlog.history.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.events.AffiliateUpdated;
import io.spanlog.events.Blob;
import io.spanlog.events.EndpointSource;
import io.spanlog.events.Envelope;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.PeerSample;
import io.spanlog.events.PeerState;
import io.spanlog.telemetry.TelemetrySeal;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Export rows written as JSON Lines and CSV and parsed back. */
class EventRowsTest {
  private static final Instant T = Instant.parse("2026-11-27T03:12:00Z");
  private static final ClusterSecret SECRET = ClusterSecret.fromBytes(new byte[32]);
  static final String NODE_KEY = "mB0Dbm9kZS0xLWtleS0tLS0tLS0tLS0tLS0tLS0tLT0=";

  static HandshakeSampleBatch batch() {
    return new HandshakeSampleBatch("node-1", NODE_KEY, true, List.of(
        new PeerSample("KEY2=", "node-2, \"the second\"\nrack 4", Optional.of("10.0.0.2:51820"), EndpointSource.ADVERTISED,
            0, 2, Optional.of(T.minusSeconds(60)), Optional.of(T.minusSeconds(3)), 1200, 1100, PeerState.UP,
            "handshake since the endpoint change 57 s ago"),
        new PeerSample("KEY3=", "node-3", Optional.empty(), EndpointSource.UNKNOWN, -1, 0, Optional.empty(),
            Optional.empty(), 0, 92, PeerState.DOWN, "no handshake yet")), Optional.of(T));
  }

  private static List<EventRows.Row> rows(boolean withSecret) {
    Envelope update = Envelope.of("c1", "aff-1", T, "discovery@test", new AffiliateUpdated("aff-1",
        Optional.of(Blob.of("x".getBytes(StandardCharsets.UTF_8))), List.of(), Duration.ofMinutes(30), Optional.empty()));
    Envelope sealed = Envelope.of("c1", NODE_KEY, T.plusSeconds(1), "discovery@test",
        new TelemetrySeal(SECRET).seal("c1", batch()));
    List<EventRows.Row> rows = new ArrayList<>();
    rows.addAll(EventRows.of(new EventRows.Position("events", 0, 7), update, c -> Optional.empty()));
    rows.addAll(EventRows.of(new EventRows.Position("telemetry", 2, 9), sealed,
        c -> withSecret && c.equals("c1") ? Optional.of(SECRET) : Optional.empty()));
    return rows;
  }

  @Test
  void anOpenedBatchIsOneRowPerPeerSampleAndCsvParsesBackWithItsQuoting() throws Exception {
    StringWriter text = new StringWriter();
    try (RowWriter w = RowWriter.of(RowWriter.Format.CSV, text)) {
      for (EventRows.Row r : rows(true)) {
        w.write(r);
      }
    }
    assertThat(text.toString().lines().findFirst().orElseThrow()).isEqualTo(String.join(",", EventRows.COLUMNS));
    MappingIterator<Map<String, String>> it = new CsvMapper().readerFor(Map.class)
        .with(CsvSchema.emptySchema().withHeader()).readValues(text.toString());
    List<Map<String, String>> back = it.readAll();
    assertThat(back).hasSize(3);
    assertThat(back.get(0)).containsEntry("type", "affiliate.updated").containsEntry("subject", "aff-1")
        .containsEntry("offset", "7").containsEntry("node", "");
    assertThat(new ObjectMapper().readTree(back.get(0).get("payload")).path("affiliateId").asText()).isEqualTo("aff-1");
    assertThat(back.get(1)).containsEntry("peer_label", "node-2, \"the second\"\nrack 4")
        .containsEntry("rx_bytes", "1200").containsEntry("state", "up").containsEntry("sealed", EventRows.OPENED)
        .containsEntry("at", T.toString()).containsEntry("endpoint_source", "advertised");
    assertThat(back.get(2)).containsEntry("peer", "KEY3=").containsEntry("endpoint", "").containsEntry("tx_bytes", "92");
  }

  @Test
  void withoutTheSecretABatchIsItsClearHeaderOnlyAndJsonLinesSaySo() throws Exception {
    StringWriter text = new StringWriter();
    try (RowWriter w = RowWriter.of(RowWriter.Format.JSONL, text)) {
      for (EventRows.Row r : rows(false)) {
        w.write(r);
      }
    }
    List<String> lines = text.toString().lines().toList();
    assertThat(lines).hasSize(2);
    JsonNode header = new ObjectMapper().readTree(lines.get(1));
    assertThat(header.path("sealed").asText()).isEqualTo(EventRows.NO_SECRET);
    assertThat(header.path("node").asText()).isEqualTo(NODE_KEY);
    assertThat(header.path("peer").isNull()).isTrue();
    assertThat(header.path("payload").path("sealedBytes").asInt()).isPositive();
    assertThat(lines.get(1)).doesNotContain("node-2").doesNotContain("KEY2=");
    assertThat(new ObjectMapper().readTree(lines.get(0)).path("payload").path("ttl").isMissingNode()).isFalse();
  }
}
