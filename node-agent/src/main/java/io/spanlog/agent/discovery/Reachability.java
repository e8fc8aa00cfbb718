package io.spanlog.agent.discovery;

import java.time.Instant;
import java.util.Objects;

/**
 * Whether the discovery service answers, said plainly: a node cut off from discovery otherwise
 * looks like a node that is alone (Talos issue 10222).
 *
 * @param state the connection state
 * @param since when it entered that state
 * @param detail the reason, e.g. "Hello failed: connection refused"
 */
public record Reachability(State state, Instant since, String detail) {
  public enum State {
    CONNECTING,
    WATCHING,
    FAILING,
    STOPPED
  }

  public Reachability {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(detail, "detail");
  }

  public boolean reachable() {
    return state == State.WATCHING;
  }
}
