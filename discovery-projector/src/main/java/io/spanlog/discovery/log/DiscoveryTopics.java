package io.spanlog.discovery.log;

import io.spanlog.kafka.TopicInstaller;
import io.spanlog.topics.TopicCatalogue;
import io.spanlog.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics the discovery service uses: its events, their snapshots, the dead letters, the
 * telemetry topic it appends node agents' reports to, and the time-indexed checkpoints of its
 * projection that the history tools start from. Names default to the catalogue's; tests give each
 * service group its own names so runs do not see each other.
 */
public record DiscoveryTopics(
    String events, String snapshots, String deadLetter, String telemetry, String checkpoints) {
  private static final Logger LOG = LoggerFactory.getLogger(DiscoveryTopics.class);
  private static final Duration RETRY = Duration.ofMillis(100);

  public static DiscoveryTopics catalogue() {
    return new DiscoveryTopics(
        TopicCatalogue.DISCOVERY_EVENTS, TopicCatalogue.DISCOVERY_SNAPSHOTS, TopicCatalogue.DEAD_LETTER,
        TopicCatalogue.TELEMETRY, TopicCatalogue.DISCOVERY_CHECKPOINTS);
  }

  public static DiscoveryTopics prefixed(String prefix) {
    return new DiscoveryTopics(prefix + ".events", prefix + ".snapshots", prefix + ".dead-letter", prefix + ".telemetry",
        prefix + ".checkpoints");
  }

  /** How long {@link #ensure(String, int)} waits for the broker. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);

  /** The flag of {@code spanlog discovery} that accepts an under-replicated events topic. */
  public static final String ALLOW_UNDER_REPLICATED_FLAG = "--allow-under-replicated";

  public List<String> names() {
    return List.of(events, snapshots, deadLetter, telemetry, checkpoints);
  }

  /** {@link #ensure(KafkaSettings, int, Duration, boolean)} on a plain cluster, waiting {@link #DEFAULT_WAIT}. */
  public void ensure(String bootstrap, int partitions) {
    ensure(KafkaSettings.of(bootstrap), partitions, DEFAULT_WAIT, false);
  }

  /**
   * Creates the missing ones through the {@link TopicInstaller} (the catalogue's settings,
   * replication {@code min(3, brokers)}; existing topics are left alone and their drift is
   * logged), checks that the events topic is replicated as the cluster allows, then waits until
   * every partition of all five has a serving leader that consumers and producers see (see
   * {@link TopicReadiness}).
   *
   * @param allowUnderReplicated serve on an events topic with fewer replicas than the cluster
   *     allows (a log that dies with one broker) rather than refuse
   * @throws IllegalStateException naming the topics and the bootstrap servers when the broker
   *     cannot be reached, refuses a creation, or the partitions are not usable within {@code wait};
   *     naming the events topic, its replication and {@value #ALLOW_UNDER_REPLICATED_FLAG} when it
   *     is under-replicated and that is not allowed
   */
  public void ensure(KafkaSettings kafka, int partitions, Duration wait, boolean allowUnderReplicated) {
    long deadline = System.nanoTime() + wait.toNanos();
    List<TopicSpec> wanted = new ArrayList<>();
    for (TopicSpec spec : TopicCatalogue.all(partitions)) {
      String name =
          switch (spec.name()) {
            case TopicCatalogue.DISCOVERY_EVENTS -> events;
            case TopicCatalogue.DISCOVERY_SNAPSHOTS -> snapshots;
            case TopicCatalogue.DEAD_LETTER -> deadLetter;
            case TopicCatalogue.TELEMETRY -> telemetry;
            case TopicCatalogue.DISCOVERY_CHECKPOINTS -> checkpoints;
            default -> null;
          };
      if (name != null) {
        wanted.add(new TopicSpec(name, spec.partitions(), spec.configs(), spec.keyScheme(), spec.purpose()));
      }
    }
    String bootstrap = kafka.bootstrap();
    try (Admin admin = Admin.create(kafka.admin("discovery-topics"))) {
      TopicInstaller.Report report = install(admin, wanted, bootstrap, wait, deadline);
      if (!report.created().isEmpty()) {
        LOG.info("created topics {} with {} replicas at {}", report.created(), report.replication(), bootstrap);
      }
      report.drift().forEach(line -> LOG.warn("topic drift (left unchanged): {}", line));
      if (report.underReplicated(events)) {
        String sentence = "the events topic " + events + " has " + report.replicas().get(events)
            + " replica(s) but the cluster at " + bootstrap + " allows " + report.replication()
            + " (min(3, brokers)): acknowledged writes would be lost with one broker";
        if (!allowUnderReplicated) {
          throw new IllegalStateException(sentence + "; raise its replication (kafka-reassign-partitions),"
              + " or start with " + ALLOW_UNDER_REPLICATED_FLAG + " to serve on it anyway");
        }
        LOG.warn("{}; serving anyway ({})", sentence, ALLOW_UNDER_REPLICATED_FLAG);
      }
      TopicReadiness.await(admin, kafka, names(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
  }

  /**
   * The installer's report, asked again while what fails can pass by itself (a topic another
   * process created a moment ago may not be described by every broker yet), until the deadline.
   */
  private static TopicInstaller.Report install(Admin admin, List<TopicSpec> wanted, String bootstrap, Duration wait,
      long deadline) {
    while (true) {
      try {
        return new TopicInstaller(admin, Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))).install(wanted);
      } catch (IllegalStateException e) {
        boolean retriable = e.getCause() instanceof RetriableException && !(e.getCause() instanceof TimeoutException);
        if (!retriable || System.nanoTime() + RETRY.toNanos() >= deadline) {
          throw new IllegalStateException("cannot create topics " + wanted.stream().map(TopicSpec::name).toList()
              + " at " + bootstrap + " (waited up to " + wait.toMillis() + " ms): " + e.getMessage(), e);
        }
      }
      try {
        Thread.sleep(RETRY.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while creating topics", e);
      }
    }
  }
}
