package io.spanlog.observer.links;

import java.util.ArrayList;
import java.util.List;

/**
 * The endpoints of one peer that some node of its cluster has seen working, oldest first, at
 * most a fixed number (the oldest is forgotten first). The value of the
 * {@code observer.proven-endpoints} store.
 */
public record ProvenEndpoints(List<String> endpoints) {
  public static final ProvenEndpoints NONE = new ProvenEndpoints(List.of());

  public ProvenEndpoints {
    endpoints = List.copyOf(endpoints);
  }

  public boolean contains(String endpoint) {
    return endpoints.contains(endpoint);
  }

  /** With {@code endpoint} added as the newest, keeping at most {@code limit}. */
  public ProvenEndpoints with(String endpoint, int limit) {
    List<String> next = new ArrayList<>(endpoints);
    next.remove(endpoint);
    next.add(endpoint);
    while (next.size() > limit) {
      next.remove(0);
    }
    return new ProvenEndpoints(next);
  }
}
