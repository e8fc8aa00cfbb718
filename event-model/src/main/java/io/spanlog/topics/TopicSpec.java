package io.spanlog.topics;

import java.util.Map;
import java.util.Objects;

/**
 * One topic as Spanlog expects it to exist.
 *
 * @param name the topic name
 * @param partitions partition count; all events of one cluster go to one partition
 * @param configs topic-level settings (retention, cleanup policy, ...) that the installer
 *     applies and checks for drift
 * @param keyScheme what the record key is, in words, for operators
 * @param purpose one sentence for operators
 */
public record TopicSpec(
    String name, int partitions, Map<String, String> configs, String keyScheme, String purpose) {
  public TopicSpec {
    Objects.requireNonNull(name, "name");
    configs = Map.copyOf(configs);
    Objects.requireNonNull(keyScheme, "keyScheme");
    Objects.requireNonNull(purpose, "purpose");
    if (partitions < 1) {
      throw new IllegalArgumentException("topic " + name + " needs at least one partition");
    }
  }

  public TopicSpec withPartitions(int count) {
    return new TopicSpec(name, count, configs, keyScheme, purpose);
  }
}
