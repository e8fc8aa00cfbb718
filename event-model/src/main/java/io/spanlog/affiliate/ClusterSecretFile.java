package io.spanlog.affiliate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.spanlog.events.EventCodec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The text of one file of a secrets directory ({@code --secrets DIR}): which cluster, and its
 * secret. The cluster is named inside because cluster ids may contain {@code /} and so cannot be
 * file names. Pure text in and out; reading the directory is event-log's {@code ClusterSecrets}.
 *
 * <pre>
 * # Spanlog cluster secret ...
 * clusterId: "JZ3o+Tq/..."
 * secret: "base64 of 32 bytes"
 * </pre>
 *
 * <p>The form is a small subset of YAML, so the file reads as YAML to people and tools: {@code #}
 * comments, blank lines, and exactly the keys {@code clusterId} and {@code secret}, each once,
 * with a double-quoted (JSON escapes), single-quoted or plain value. Errors name the line and
 * the problem, never a value: a file that holds a secret may have it on any line.
 */
public final class ClusterSecretFile {
  public static final String CLUSTER_ID = "clusterId";
  public static final String SECRET = "secret";

  /** One cluster's entry. {@link #toString()} leaves the secret out (ClusterSecret's does). */
  public record Entry(String clusterId, ClusterSecret secret) {
    public Entry {
      Objects.requireNonNull(clusterId, "clusterId");
      Objects.requireNonNull(secret, "secret");
      if (clusterId.isEmpty()) {
        throw new IllegalArgumentException("clusterId must not be empty");
      }
    }
  }

  private ClusterSecretFile() {}

  /** The file's text (which holds the secret: write it mode 0600). */
  public static String render(Entry entry) {
    return "# Spanlog cluster secret: a Spanlog service given this directory (--secrets) reads this\n"
        + "# cluster's sealed telemetry. Keep it private (mode 0600); never put it in a topic.\n"
        + CLUSTER_ID + ": " + quoted(entry.clusterId()) + "\n"
        + SECRET + ": " + quoted(entry.secret().revealBase64()) + "\n";
  }

  /**
   * Reads a file's text.
   *
   * @throws IllegalArgumentException with a sentence naming the line and the problem, never a value
   */
  public static Entry parse(String text) {
    Map<String, String> values = new LinkedHashMap<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#") || (i == 0 && line.equals("---"))) {
        continue;
      }
      int colon = line.indexOf(':');
      String where = "line " + (i + 1);
      if (colon < 0) {
        throw new IllegalArgumentException(where + " is not 'key: value'");
      }
      String key = line.substring(0, colon).strip();
      if (!key.equals(CLUSTER_ID) && !key.equals(SECRET)) {
        throw new IllegalArgumentException(where + " has an unknown key (known: " + CLUSTER_ID + ", " + SECRET + ")");
      }
      if (values.containsKey(key)) {
        throw new IllegalArgumentException(where + ": " + key + " appears twice");
      }
      values.put(key, value(line.substring(colon + 1).strip(), where + " (" + key + ")"));
    }
    String clusterId = values.get(CLUSTER_ID);
    String secret = values.get(SECRET);
    if (clusterId == null || clusterId.isEmpty()) {
      throw new IllegalArgumentException(CLUSTER_ID + " is missing or empty");
    }
    if (secret == null) {
      throw new IllegalArgumentException(SECRET + " is missing");
    }
    return new Entry(clusterId, ClusterSecret.fromBase64(secret)); // its message never quotes the value
  }

  private static String value(String raw, String where) {
    if (raw.startsWith("\"")) {
      JsonNode node;
      try {
        node = EventCodec.mapper().readTree(raw);
      } catch (JsonProcessingException e) {
        node = null;
      }
      if (node == null || !node.isTextual()) {
        throw new IllegalArgumentException(where + ": the double-quoted value is not closed or has a bad escape");
      }
      return node.textValue();
    }
    if (raw.startsWith("'")) {
      if (raw.length() < 2 || !raw.endsWith("'")) {
        throw new IllegalArgumentException(where + ": the single-quoted value is not closed");
      }
      String inner = raw.substring(1, raw.length() - 1);
      if (inner.replace("''", "").contains("'")) {
        throw new IllegalArgumentException(where + ": a single quote inside a single-quoted value must be doubled");
      }
      return inner.replace("''", "'");
    }
    int comment = raw.indexOf(" #");
    String plain = (comment >= 0 ? raw.substring(0, comment) : raw).strip();
    if (!plain.isEmpty() && "[{&*!|>%@`".indexOf(plain.charAt(0)) >= 0) {
      throw new IllegalArgumentException(where + ": quote the value (it starts with a YAML indicator)");
    }
    return plain;
  }

  private static String quoted(String s) {
    try {
      return EventCodec.mapper().writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot quote a string", e);
    }
  }
}
