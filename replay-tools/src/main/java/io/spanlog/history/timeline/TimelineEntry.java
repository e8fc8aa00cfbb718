package io.spanlog.history.timeline;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One line of a link's story.
 *
 * @param at when it happened (sample time for what nodes measured, append time for discovery)
 * @param kind what it is
 * @param about which end, or the link
 * @param text one sentence for an operator (names as the nodes chose them: escape before display)
 * @param details the facts behind the sentence (endpoint, source, rule, writer...), in order
 */
public record TimelineEntry(Instant at, EntryKind kind, Side about, String text, Map<String, String> details) {
  public TimelineEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(about, "about");
    Objects.requireNonNull(text, "text");
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }
}
