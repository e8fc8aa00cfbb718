package io.spanlog.ctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.spanlog.events.EventCodec;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * Prints a history answer in the chosen format: a table drawn by the command, or the answer's
 * model (records, maps, lists; instants as RFC 3339) as JSON or YAML.
 */
public final class HistoryOutput {
  private HistoryOutput() {}

  public static String render(String format, Object model, Supplier<String> table) {
    return switch (format) {
      case "json" -> json(model) + "\n";
      case "yaml" -> ObserverQuery.yaml(tree(model));
      default -> table.get();
    };
  }

  static JsonNode tree(Object model) {
    return EventCodec.mapper().valueToTree(model);
  }

  static String json(Object model) {
    try {
      return EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(model);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
