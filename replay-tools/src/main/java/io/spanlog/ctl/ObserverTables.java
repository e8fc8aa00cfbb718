package io.spanlog.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The observer's views of a cluster as tables: its links, its reachability matrix, its drift. */
public final class ObserverTables {
  private ObserverTables() {}

  /** {@code ctl get links}: one row per link (node → peer), as the read API lists them. */
  public static Table links(JsonNode answer) {
    Table t = Table.of("NODE", "PEER", "STATE", "SINCE", "ENDPOINT (SOURCE)", "RX/S", "TX/S",
        "FLAPS");
    for (JsonNode l : answer.path("links")) {
      String state = l.path("state").asText();
      if (!l.path("asymmetricSince").isNull() && !l.path("asymmetricSince").isMissingNode()) {
        state += " (one-way)";
      }
      String since = (l.path("sinceSeen").asBoolean(true) ? "" : "<=") + l.path("since").asText();
      String endpoint = l.path("endpoint").isTextual()
          ? l.path("endpoint").asText() + " (" + l.path("endpointSource").asText() + ")" : "-";
      String flaps = Integer.toString(l.path("flaps").asInt());
      if (l.path("flappingSince").isTextual()) {
        flaps += " (flapping)";
      }
      t.row(l.path("nodeName").asText(), l.path("peerName").asText(), state, since, endpoint,
          rate(l.path("rxBytesPerSecond")), rate(l.path("txBytesPerSecond")), flaps);
    }
    return t;
  }

  /**
   * {@code ctl get matrix}: one row per observing node, one column per peer; a cell is how the
   * row's node sees the column's ({@code up}, {@code down}, {@code unknown}; {@code up*}: up this
   * way, not seen up the other way), {@code -} where it has no peer or is itself.
   */
  public static Table matrix(JsonNode answer) {
    List<String> names = new ArrayList<>();
    Map<String, Integer> index = new HashMap<>();
    for (JsonNode n : answer.path("nodes")) {
      index.put(n.path("publicKey").asText(), names.size());
      names.add(n.path("name").asText());
    }
    String[][] cells = new String[names.size()][names.size()];
    for (JsonNode c : answer.path("cells")) {
      Integer from = index.get(c.path("fromPublicKey").asText());
      Integer to = index.get(c.path("toPublicKey").asText());
      if (from != null && to != null) {
        boolean oneWay = c.path("asymmetricSince").isTextual();
        cells[from][to] = c.path("state").asText() + (oneWay ? "*" : "");
      }
    }
    List<String> headers = new ArrayList<>();
    headers.add("NODE \\ PEER");
    headers.addAll(names);
    Table t = Table.of(headers.toArray(String[]::new));
    for (int r = 0; r < names.size(); r++) {
      String[] row = new String[names.size() + 1];
      row[0] = names.get(r);
      for (int c = 0; c < names.size(); c++) {
        row[c + 1] = cells[r][c] == null ? "-" : cells[r][c];
      }
      t.row(row);
    }
    return t;
  }

  /**
   * {@code ctl get drift}: one row per discrepancy of each node with its peer specs ({@code
   * drifting}: lasted the grace; {@code propagating}: younger), one {@code ok} row for a node that
   * matches them; drifting nodes first.
   */
  public static Table drift(JsonNode answer) {
    Table t = Table.of("NODE", "DRIFT", "SINCE", "PEER", "DISCREPANCY", "ENDPOINT");
    for (JsonNode n : answer.path("nodes")) {
      String node = n.path("nodeName").asText();
      int rows = 0;
      for (JsonNode d : n.path("discrepancies")) {
        t.row(node, "drifting", d.path("since").asText(), d.path("peerLabel").asText(),
            d.path("kind").asText(), d.path("endpoint").isTextual() ? d.path("endpoint").asText() : "-");
        rows++;
      }
      for (JsonNode d : n.path("pending")) {
        t.row(node, "propagating", d.path("since").asText(), d.path("peerLabel").asText(),
            d.path("kind").asText(), d.path("endpoint").isTextual() ? d.path("endpoint").asText() : "-");
        rows++;
      }
      if (rows == 0) {
        t.row(node, "ok", "-", "-", "-", "-");
      }
    }
    return t;
  }

  /** Bytes per second, short: {@code 0}, {@code 512}, {@code 1.5k}, {@code 2.3M}; {@code -} if unknown. */
  static String rate(JsonNode value) {
    if (!value.isNumber()) {
      return "-";
    }
    double v = value.asDouble();
    if (v < 1000) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    String[] units = {"k", "M", "G", "T"};
    int u = -1;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return String.format(Locale.ROOT, v < 10 ? "%.1f%s" : "%.0f%s", v, units[u]);
  }
}
