package io.spanlog.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * One {@code spanlog ctl get}: reads one view from several agents and renders the answers as one
 * table (or JSON). An agent that does not answer costs its rows and one sentence, not the others'.
 */
public final class ViewQuery {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An agent to ask. */
  public record Agent(AgentAddress address, StatusSource source) {}

  /** What to print: the table or JSON, and one sentence per agent that failed. */
  public record Result(String output, List<String> failures) {}

  private record Answer(AgentAddress address, String node, String identity, String body) {}

  /** How {@code -o} prints a view. */
  public enum Output {
    /** One talosctl-style table for all agents. */
    TABLE,
    /** The raw views, one object per agent. */
    JSON,
    /** One YAML document per resource, as {@code talosctl get -o yaml}: node, metadata (with VERSION), spec. */
    YAML;

    /** The output a user typed ({@code table}, {@code json}, {@code yaml}), if it is one. */
    public static java.util.Optional<Output> parse(String typed) {
      return java.util.Arrays.stream(values()).filter(o -> o.name().equalsIgnoreCase(typed)).findFirst();
    }
  }

  private ViewQuery() {}

  public static Result run(Resource resource, List<Agent> agents, Output output) {
    List<Answer> answers = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Agent agent : agents) {
      try {
        String identity = agent.source().get(Resource.IDENTITIES.path());
        String body = resource == Resource.IDENTITIES ? identity : agent.source().get(resource.path());
        answers.add(new Answer(agent.address(), nodeName(agent.address(), identity), identity, body));
      } catch (IOException | RuntimeException e) {
        failures.add("agent " + agent.address() + " did not answer: "
            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      }
    }
    if (answers.isEmpty() && !failures.isEmpty()) {
      return new Result("", List.copyOf(failures)); // no header over nothing: the sentences say it all
    }
    try {
      String text = switch (output) {
        case JSON -> json(answers);
        case YAML -> yaml(resource, answers);
        case TABLE -> table(resource, answers).render();
      };
      return new Result(text, List.copyOf(failures));
    } catch (IOException e) {
      // an agent answered 200 with something that is not its view
      failures.add("an agent's " + resource.path() + " is not the JSON view expected: " + e.getMessage());
      return new Result("", List.copyOf(failures));
    }
  }

  /** The label an operator knows the node by: its nodename, else its hostname, else where we asked. */
  static String nodeName(AgentAddress address, String identityJson) throws IOException {
    var n = JSON.readTree(identityJson);
    for (String field : List.of("nodename", "hostname")) {
      if (n.path(field).isTextual() && !n.path(field).asText().isBlank()) {
        return n.path(field).asText();
      }
    }
    return address.toString();
  }

  private static Table table(Resource resource, List<Answer> answers) throws IOException {
    if (resource == Resource.ENDPOINTS) {
      Map<String, List<NodeViews.Endpoint>> byNode = new LinkedHashMap<>();
      for (Answer a : answers) {
        byNode.put(a.node(), NodeViews.endpoints(a.body()));
      }
      return MeshTables.endpoints(byNode);
    }
    List<NodeViews.Snapshot> snapshots = new ArrayList<>();
    for (Answer a : answers) {
      snapshots.add(switch (resource) {
        case IDENTITIES -> new NodeViews.Snapshot(a.node(), NodeViews.identity(a.identity()), List.of(), List.of());
        case PEERSPECS -> new NodeViews.Snapshot(a.node(), NodeViews.identity(a.identity()), NodeViews.specs(a.body()), List.of());
        case PEERSTATUSES ->
            new NodeViews.Snapshot(a.node(), NodeViews.identity(a.identity()), List.of(), NodeViews.statuses(a.body()));
        case ENDPOINTS -> throw new AssertionError("handled above");
      });
    }
    return switch (resource) {
      case IDENTITIES -> MeshTables.identities(snapshots);
      case PEERSPECS -> MeshTables.peerSpecs(snapshots);
      default -> MeshTables.peerStatuses(snapshots);
    };
  }

  /**
   * One document per resource, the way {@code talosctl get -o yaml} prints them: {@code node},
   * {@code metadata} (namespace, type, id, version) and {@code spec} (the view's fields but id and
   * version), documents separated by {@code ---}. The peer spec view's warnings are no resources
   * and are left out here (they are in {@code -o json}).
   */
  static String yaml(Resource resource, List<Answer> answers) throws IOException {
    DumperOptions o = new DumperOptions();
    o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    o.setIndent(4);
    Yaml yaml = new Yaml(o);
    StringBuilder out = new StringBuilder();
    for (Answer a : answers) {
      JsonNode view = JSON.readTree(a.body());
      List<JsonNode> items = new ArrayList<>();
      switch (resource) {
        case IDENTITIES -> items.add(view);
        case PEERSPECS, PEERSTATUSES -> view.path("peers").forEach(items::add);
        case ENDPOINTS -> view.path("endpoints").forEach(items::add);
      }
      for (JsonNode item : items) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("node", a.node());
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("namespace", "kubespan");
        metadata.put("type", resource.talosType());
        metadata.put("id", resource == Resource.IDENTITIES ? MeshTables.IDENTITY_ID : item.path("id").asText());
        metadata.put("version", item.path("version").asLong());
        doc.put("metadata", metadata);
        ObjectNode spec = item.deepCopy();
        spec.remove("version");
        if (resource != Resource.IDENTITIES) {
          spec.remove("id");
        }
        doc.put("spec", JSON.convertValue(spec, Object.class));
        out.append(out.length() == 0 ? "" : "---\n").append(yaml.dump(doc));
      }
    }
    return out.toString();
  }

  /** The raw views, one object per agent: {@code [{"agent", "node", "view"}]}. */
  private static String json(List<Answer> answers) throws IOException {
    ArrayNode out = JSON.createArrayNode();
    for (Answer a : answers) {
      ObjectNode o = out.addObject();
      o.put("agent", a.address().toString());
      o.put("node", a.node());
      o.set("view", JSON.readTree(a.body()));
    }
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out) + "\n";
  }
}
