package io.spanlog.discovery;

import io.spanlog.topics.TopicCatalogue;
import io.spanlog.topics.TopicSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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

  /** Creates the missing ones with the catalogue's settings; existing topics are left alone. */
  public void ensure(String bootstrap, int partitions) {
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
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
      if (missing.isEmpty()) {
        return;
      }
      try {
        admin.createTopics(missing).all().get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("cannot create topics " + missing + ": " + e.getCause().getMessage(), e);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot list topics at " + bootstrap + ": " + e.getCause().getMessage(), e);
    }
  }
}
