package io.spanlog.observer.metrics;

import io.spanlog.observer.links.LinkKey;
import java.time.Instant;
import java.util.Objects;

/** One link's metric window: the key of the {@code observer.metric-windows} store. */
public record WindowKey(LinkKey link, Instant windowStart) {
  public WindowKey {
    Objects.requireNonNull(link, "link");
    Objects.requireNonNull(windowStart, "windowStart");
  }
}
