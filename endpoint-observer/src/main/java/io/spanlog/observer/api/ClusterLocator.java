package io.spanlog.observer.api;

import io.spanlog.observer.query.ClusterReads;
import java.util.Objects;

/** Where a cluster's state lives among the observer's instances. */
@FunctionalInterface
public interface ClusterLocator {

  Location locate(String cluster);

  /** The answer. */
  sealed interface Location permits Here, Elsewhere, Unavailable {}

  /** On this instance: read it here. */
  record Here(ClusterReads reads) implements Location {
    public Here {
      Objects.requireNonNull(reads, "reads");
    }
  }

  /** On another instance, whose read API answers at {@code host:port}. */
  record Elsewhere(String host, int port) implements Location {
    public Elsewhere {
      Objects.requireNonNull(host, "host");
    }
  }

  /** Nowhere right now (starting, rebalancing): {@code reason} says so in one sentence. */
  record Unavailable(String reason) implements Location {
    public Unavailable {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
