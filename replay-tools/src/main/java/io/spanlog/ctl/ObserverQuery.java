package io.spanlog.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * One {@code spanlog ctl get links|matrix|drift --cluster ID}: asks the endpoint observer's read
 * API (any instance: it relays to the one holding the cluster) and prints its answer as a table,
 * JSON or YAML.
 */
public final class ObserverQuery {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** The observer's answer for a resource, or why there is none. */
  @FunctionalInterface
  public interface Source {
    /** The JSON body of a 200 answer. @throws IOException with one sentence otherwise */
    String get(ObserverResource resource, String cluster) throws IOException;
  }

  /** What to print, and the sentence to print on stderr when it failed. */
  public record Result(String output, List<String> failures) {}

  private ObserverQuery() {}

  public static Result run(ObserverResource resource, String cluster, Source source, String format) {
    String body;
    try {
      body = source.get(resource, cluster);
    } catch (IOException e) {
      return new Result("", List.of(e.getMessage()));
    }
    try {
      JsonNode answer = JSON.readTree(body);
      return switch (format) {
        case "json" -> new Result(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer)
            + "\n", List.of());
        case "yaml" -> new Result(yaml(answer), List.of());
        default -> table(resource, cluster, answer);
      };
    } catch (IOException e) {
      return new Result("", List.of("the observer's " + resource.path()
          + " answer is not the JSON expected: " + e.getMessage()));
    }
  }

  private static Result table(ObserverResource resource, String cluster, JsonNode answer) {
    if (resource == ObserverResource.MATRIX) {
      if (answer.path("nodes").isEmpty()) {
        return new Result("", List.of(empty(cluster)));
      }
      boolean oneWay = answer.path("cells").findValues("asymmetricSince").stream()
          .anyMatch(JsonNode::isTextual);
      return new Result(ObserverTables.matrix(answer).render()
          + (oneWay ? "* up this way, not seen up the other way (asymmetric)\n" : ""), List.of());
    }
    if (resource == ObserverResource.LINKS) {
      if (answer.path("links").isEmpty()) {
        return new Result("", List.of(empty(cluster)));
      }
      return new Result(ObserverTables.links(answer).render(), List.of());
    }
    if (!answer.path("secretRegistered").asBoolean(true)) {
      return new Result("", List.of("cluster '" + cluster + "': "
          + answer.path("note").asText("peer-spec drift needs the cluster's secret")));
    }
    if (answer.path("nodes").isEmpty()) {
      return new Result("", List.of("the observer has judged no node of cluster '" + cluster
          + "' yet: it needs the cluster's discovery events and a batch from a node the discovery"
          + " state holds"));
    }
    return new Result(ObserverTables.drift(answer).render(), List.of());
  }

  private static String empty(String cluster) {
    return "the observer knows no link of cluster '" + cluster
        + "' yet: no telemetry from it has been observed (are its agents sending telemetry?)";
  }

  static String yaml(JsonNode answer) {
    DumperOptions o = new DumperOptions();
    o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return new Yaml(o).dump(JSON.convertValue(answer, Object.class));
  }

  /** The read API over HTTP at {@code address}. */
  public static Source http(ObserverAddress address) {
    return (resource, cluster) -> {
      String at = address + resource.path();
      URI uri = URI.create("http://" + address + resource.path() + "?cluster="
          + URLEncoder.encode(cluster, StandardCharsets.UTF_8));
      HttpResponse<String> response;
      try {
        response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET()
            .build(), HttpResponse.BodyHandlers.ofString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while asking the observer at " + at, e);
      } catch (java.net.ConnectException e) {
        throw new IOException("cannot connect to the observer at " + address
            + "; is 'spanlog observer' running, with its read API there (--observer host:port)?", e);
      } catch (java.net.http.HttpTimeoutException e) {
        throw new IOException("no answer from the observer at " + at + " within 10 s", e);
      } catch (IOException e) {
        throw new IOException("cannot ask the observer at " + at + ": "
            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
      }
      if (response.statusCode() != 200) {
        String error = response.body().strip();
        try {
          JsonNode n = JSON.readTree(error);
          if (n.path("error").isTextual()) {
            error = n.path("error").asText();
          }
        } catch (IOException notJson) {
          // keep the body as it is
        }
        throw new IOException("the observer at " + address + " answered " + response.statusCode()
            + ": " + error);
      }
      return response.body();
    };
  }
}
