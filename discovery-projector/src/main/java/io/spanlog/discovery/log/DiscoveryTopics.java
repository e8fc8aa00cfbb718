package io.spanlog.discovery.log;

import io.spanlog.topics.TopicCatalogue;
import io.spanlog.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The topics the discovery service uses: its events, their snapshots, the dead letters, and the
 * telemetry topic it appends node agents' reports to. Names default to the catalogue's; tests give each
 * service group its own names so runs do not see each other.
 */
public record DiscoveryTopics(String events, String snapshots, String deadLetter, String telemetry) {
  public static DiscoveryTopics catalogue() {
    return new DiscoveryTopics(
        TopicCatalogue.DISCOVERY_EVENTS, TopicCatalogue.DISCOVERY_SNAPSHOTS, TopicCatalogue.DEAD_LETTER,
        TopicCatalogue.TELEMETRY);
  }

  public static DiscoveryTopics prefixed(String prefix) {
    return new DiscoveryTopics(prefix + ".events", prefix + ".snapshots", prefix + ".dead-letter", prefix + ".telemetry");
  }

  /** How long {@link #ensure(String, int)} waits for the broker. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);

  public List<String> names() {
    return List.of(events, snapshots, deadLetter, telemetry);
  }

  /** {@link #ensure(String, int, Duration)} with {@link #DEFAULT_WAIT}. */
  public void ensure(String bootstrap, int partitions) {
    ensure(bootstrap, partitions, DEFAULT_WAIT);
  }

  /**
   * Creates the missing ones with the catalogue's settings (existing topics are left alone), then
   * waits until every partition of all four has a serving leader that consumers and producers see
   * (see {@link TopicReadiness}).
   *
   * @throws IllegalStateException naming the topics and the bootstrap servers when the broker
   *     cannot be reached, refuses a creation, or the partitions are not usable within {@code wait}
   */
  public void ensure(String bootstrap, int partitions, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    List<NewTopic> wanted = new ArrayList<>();
    for (TopicSpec spec : TopicCatalogue.all(partitions)) {
      String name =
          switch (spec.name()) {
            case TopicCatalogue.DISCOVERY_EVENTS -> events;
            case TopicCatalogue.DISCOVERY_SNAPSHOTS -> snapshots;
            case TopicCatalogue.DEAD_LETTER -> deadLetter;
            case TopicCatalogue.TELEMETRY -> telemetry;
            default -> null;
          };
      if (name != null) {
        wanted.add(new NewTopic(name, spec.partitions(), (short) 1).configs(spec.configs()));
      }
    }
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Set<String> existing = admin.listTopics(new ListTopicsOptions().timeoutMs(millisLeft(deadline))).names().get();
      List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
      if (!missing.isEmpty()) {
        try {
          admin.createTopics(missing, new CreateTopicsOptions().timeoutMs(millisLeft(deadline))).all().get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topics " + missing.stream().map(NewTopic::name).toList()
                + " at " + bootstrap + ": " + e.getCause().getMessage(), e);
          }
        }
      }
      TopicReadiness.await(admin, bootstrap, names(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot list topics at " + bootstrap + " (waited up to " + wait.toMillis() + " ms): "
          + e.getCause().getMessage(), e);
    }
  }

  private static int millisLeft(long deadline) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (deadline - System.nanoTime()) / 1_000_000));
  }
}
