package io.spanlog.ctl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  private ViewQuery() {}

  public static Result run(Resource resource, List<Agent> agents, boolean json) {
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
      return new Result(json ? json(answers) : table(resource, answers).render(), List.copyOf(failures));
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
