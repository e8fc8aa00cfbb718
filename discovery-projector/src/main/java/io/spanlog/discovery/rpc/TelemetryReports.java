package io.spanlog.discovery.rpc;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.spanlog.events.EventCodec;
import io.spanlog.events.EventDecodingException;
import io.spanlog.events.EventType;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.telemetry.api.ReportRequest;
import java.util.regex.Pattern;

/**
 * Checks one telemetry report and reads its batch, as strictly as a consumer of the telemetry
 * topic will: what is appended is always a valid {@code handshake.sample-batch} event.
 *
 * <p>Error messages name the problem (field, line and column) but never repeat the values that
 * were sent: a confused agent may put anything in there.
 */
final class TelemetryReports {
  static final EventType TYPE = EventType.HANDSHAKE_SAMPLE_BATCH;
  private static final int MAX_DETAIL = 300;
  // Jackson quotes offending values ("from String \"...\"", "Unrecognized token 'x'")
  private static final Pattern QUOTED_VALUE = Pattern.compile("(String|token|value) (\"[^\"]*\"|'[^']*')");

  private TelemetryReports() {}

  /** The report's batch; {@link StatusError} INVALID_ARGUMENT if anything is wrong. */
  static HandshakeSampleBatch read(ReportRequest r) {
    RequestValidator.clusterId(r.getClusterId());
    if (r.getSchema() != TYPE.schema()) {
      throw StatusError.invalid("schema " + Integer.toUnsignedString(r.getSchema()) + " is not supported: this server reads "
          + TYPE.wireName() + " schema " + TYPE.schema());
    }
    if (r.getBatchJson().isEmpty()) {
      throw StatusError.invalid("batch_json is empty");
    }
    HandshakeSampleBatch batch;
    try {
      batch = EventCodec.decodePayload(TYPE, TYPE.schema(), r.getBatchJson().toByteArray());
    } catch (EventDecodingException e) {
      throw StatusError.invalid("batch_json is not a valid " + TYPE.wireName() + " (schema " + TYPE.schema() + "): " + describe(e));
    }
    if (batch.nodeId().isEmpty()) {
      throw StatusError.invalid("batch_json: nodeId can't be empty");
    }
    return batch;
  }

  private static String describe(EventDecodingException e) {
    if (e.problem() == EventDecodingException.Problem.MALFORMED_JSON) {
      if (e.getCause() instanceof JsonProcessingException j && j.getLocation() != null) {
        JsonLocation at = j.getLocation();
        return "not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
      }
      return "not valid JSON";
    }
    String detail = QUOTED_VALUE.matcher(String.valueOf(e.getMessage())).replaceAll("$1 (not shown)");
    return detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "…" : detail;
  }
}
