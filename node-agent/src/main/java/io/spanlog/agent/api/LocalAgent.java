package io.spanlog.agent.api;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.text.PrintableText;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The status API of an agent on this machine, as {@code agent leave} sees it. */
public final class LocalAgent {
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
  /**
   * How long a listening agent may take to answer: nothing listening is refused at once, but a
   * busy machine can keep a running agent from answering within seconds, and taking it for absent
   * would delete the affiliate behind its back (it would publish the node again).
   */
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);

  /** An answer to {@code POST /v1/leave}: {@code left} on 200, else {@code error}. */
  public record Answer(int status, StatusViews.Left left, String error) {}

  private final int port;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();

  public LocalAgent(int port) {
    this.port = port;
  }

  /** Whether an agent answers on the port for node {@code nodeId} (not another node, not another program). */
  public boolean runs(String nodeId) {
    return identity().map(i -> nodeId.equals(i.nodeId())).orElse(false);
  }

  public Optional<StatusViews.Identity> identity() {
    try {
      var response = http.send(HttpRequest.newBuilder(uri("/v1/identity")).timeout(ANSWER_TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200
          ? Optional.of(StatusJson.mapper().readValue(response.body(), StatusViews.Identity.class))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // nothing listening, or something that is not an agent
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Asks the agent to leave, in two steps: a challenge ({@code POST /v1/leave/challenge}), then the
   * leave with a {@link LeaveProof} over its nonce ({@code POST /v1/leave}). The agent answers once
   * the affiliate is deleted and its peers removed. The secret stays here; only the proof is sent.
   */
  public Answer askToLeave(String nodeId, String clusterId, ClusterSecret secret, Duration timeout)
      throws IOException, InterruptedException {
    var challenged = post("/v1/leave/challenge", "{}", ANSWER_TIMEOUT);
    if (challenged.statusCode() != 200) {
      return refusal(challenged);
    }
    StatusViews.LeaveChallenge challenge =
        StatusJson.mapper().readValue(challenged.body(), StatusViews.LeaveChallenge.class);
    if (!nodeId.equals(challenge.nodeId()) || challenge.nonce() == null) {
      return new Answer(409, null, "the agent on " + this + " handed out a challenge for another node");
    }
    String proof = LeaveProof.of(secret, clusterId, nodeId, challenge.nonce());
    var response = post("/v1/leave", StatusJson.write(new StatusViews.LeaveRequest(nodeId, challenge.nonce(), proof)),
        timeout);
    if (response.statusCode() == 200) {
      return new Answer(200, StatusJson.mapper().readValue(response.body(), StatusViews.Left.class), "");
    }
    return refusal(response);
  }

  private HttpResponse<String> post(String path, String body, Duration timeout) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri(path)).timeout(timeout)
            .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Answer refusal(HttpResponse<String> response) {
    String error;
    try {
      error = StatusJson.mapper().readValue(response.body(), StatusViews.Error.class).error();
    } catch (IOException e) {
      error = response.body().strip();
    }
    return new Answer(response.statusCode(), null, PrintableText.of(error));
  }

  /** Waits until nothing answers on the port any more (the agent exited). */
  public boolean awaitGone(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      try {
        http.send(HttpRequest.newBuilder(uri("/v1/identity")).timeout(PROBE_TIMEOUT).GET().build(),
            HttpResponse.BodyHandlers.discarding());
      } catch (ConnectException e) {
        return true;
      } catch (IOException e) {
        // closing: try again
      }
      Thread.sleep(100);
    }
    return false;
  }

  private URI uri(String path) {
    return URI.create("http://" + StatusApiServer.HOST + ":" + port + path);
  }

  @Override
  public String toString() {
    return StatusApiServer.HOST + ":" + port;
  }
}
