package io.spanlog.kafka;

import io.spanlog.topics.TopicCatalogue;
import io.spanlog.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AbstractOptions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics of the {@link TopicCatalogue} that do not exist yet and checks the ones
 * that do; the one place Spanlog creates topics (the {@code topics} and {@code kafka} commands,
 * the discovery service and the test fixtures all come here). An existing topic is never changed:
 * where its partition count, its replication or one of the catalogue's settings differs, the
 * report says so in words and an operator decides (raising partitions would move clusters to
 * other partitions and break their ordering).
 *
 * <p>Replication is {@code min(3, brokers)}. A topic with three replicas gets
 * {@code min.insync.replicas=2}, so an acknowledged write ({@code acks=all}) is on two brokers and
 * survives the loss of any one, while writes go on with one broker down; with fewer replicas it
 * gets 1. A catalogue entry that sets {@code min.insync.replicas} itself keeps its value: the
 * snapshot topic keeps 1 on purpose, since a snapshot is a cache of the events topic (it carries
 * the offset it covers, and losing the newest one only costs a longer replay at the next start),
 * so snapshots should not stop being written while the events topic's own rule already refuses
 * writes that would not be safe.
 */
public final class TopicInstaller {
  /** The most replicas Spanlog asks for. */
  public static final int MAX_REPLICATION = 3;

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final Admin admin;
  private final Duration timeout;

  /** An installer whose {@link #install} gives up after 60 s. */
  public TopicInstaller(Admin admin) {
    this(admin, DEFAULT_TIMEOUT);
  }

  /** An installer whose {@link #install} gives up after {@code timeout}, all requests counted. */
  public TopicInstaller(Admin admin, Duration timeout) {
    this.admin = Objects.requireNonNull(admin, "admin");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** The replication Spanlog gives its topics on a cluster of {@code brokers} brokers. */
  public static int replicationFor(int brokers) {
    return Math.max(1, Math.min(MAX_REPLICATION, brokers));
  }

  /**
   * The settings a topic is created with: the catalogue's, and {@code min.insync.replicas} from
   * its replication unless the catalogue sets it.
   */
  static Map<String, String> settingsFor(TopicSpec spec, int replication) {
    Map<String, String> settings = new TreeMap<>(spec.configs());
    settings.putIfAbsent(MIN_INSYNC_REPLICAS, replication >= MAX_REPLICATION ? "2" : "1");
    return settings;
  }

  static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";

  /** Installs the whole catalogue with its default partition count. */
  public Report installCatalogue() {
    return install(TopicCatalogue.all());
  }

  /**
   * Creates the missing topics of {@code specs} with as many replicas as the cluster allows (at
   * most three) and reports drift of the existing ones.
   *
   * @throws IllegalStateException when the cluster cannot be asked or refuses a creation
   */
  public Report install(List<TopicSpec> specs) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<String> existing =
        get(admin.listTopics(within(new ListTopicsOptions(), deadline)).names(), "list topics");
    int brokers =
        get(admin.describeCluster(within(new DescribeClusterOptions(), deadline)).nodes(),
                "describe the cluster")
            .size();
    int replication = replicationFor(brokers);
    List<TopicSpec> missing = specs.stream().filter(s -> !existing.contains(s.name())).toList();
    List<String> created = new ArrayList<>();
    List<TopicSpec> present =
        new ArrayList<>(specs.stream().filter(s -> existing.contains(s.name())).toList());
    Map<String, Integer> replicas = new LinkedHashMap<>();

    if (!missing.isEmpty()) {
      Map<String, KafkaFuture<Void>> results =
          admin
              .createTopics(
                  missing.stream()
                      .map(s -> new NewTopic(s.name(), s.partitions(), (short) replication)
                          .configs(settingsFor(s, replication)))
                      .toList(),
                  within(new CreateTopicsOptions(), deadline))
              .values();
      for (TopicSpec spec : missing) {
        try {
          results.get(spec.name()).get();
          created.add(spec.name());
          replicas.put(spec.name(), replication);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof TopicExistsException) {
            present.add(spec); // created concurrently by another installer: check it instead
          } else {
            throw new IllegalStateException(
                "cannot create topic " + spec.name() + ": " + e.getCause().getMessage(),
                e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while creating " + spec.name(), e);
        }
      }
    }

    List<String> drift =
        present.isEmpty() ? List.of() : drift(present, replication, replicas, deadline);
    List<String> unchanged =
        present.stream()
            .map(TopicSpec::name)
            .filter(n -> drift.stream().noneMatch(line -> line.startsWith(n + ":")))
            .toList();
    return new Report(created, unchanged, drift, replicas, replication);
  }

  private List<String> drift(
      List<TopicSpec> specs, int replication, Map<String, Integer> replicas, long deadline) {
    List<String> names = specs.stream().map(TopicSpec::name).toList();
    Map<String, TopicDescription> descriptions =
        get(
            admin.describeTopics(names, within(new DescribeTopicsOptions(), deadline))
                .allTopicNames(),
            "describe topics");
    Map<ConfigResource, Config> configs =
        get(
            admin
                .describeConfigs(
                    names.stream()
                        .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                        .toList(),
                    within(new DescribeConfigsOptions(), deadline))
                .all(),
            "describe topic configs");
    List<String> lines = new ArrayList<>();
    for (TopicSpec spec : specs) {
      List<TopicPartitionInfo> partitions = descriptions.get(spec.name()).partitions();
      int fewest =
          partitions.stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
      replicas.put(spec.name(), fewest);
      Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
      lines.addAll(
          TopicDrift.lines(spec, partitions.size(), fewest, replication, values(config)));
    }
    return List.copyOf(lines);
  }

  /** The time left until {@code deadline}, as the request's timeout. */
  private static <T extends AbstractOptions<T>> T within(T options, long deadline) {
    long left = (deadline - System.nanoTime()) / 1_000_000;
    return options.timeoutMs((int) Math.max(1, Math.min(Integer.MAX_VALUE, left)));
  }

  private static Map<String, String> values(Config config) {
    Collection<ConfigEntry> entries = config.entries();
    return entries.stream()
        .filter(e -> e.value() != null)
        .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value, (a, b) -> a, TreeMap::new));
  }

  private static <T> T get(KafkaFuture<T> future, String what) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while trying to " + what, e);
    }
  }

  /**
   * What an installation did.
   *
   * @param created topics created now
   * @param unchanged topics that existed and match the catalogue
   * @param drift one readable line per difference between an existing topic and the catalogue
   * @param replicas each topic's replica count (the fewest over its partitions)
   * @param replication what the cluster allows and new topics get: {@code min(3, brokers)}
   */
  public record Report(
      List<String> created,
      List<String> unchanged,
      List<String> drift,
      Map<String, Integer> replicas,
      int replication) {
    public Report {
      created = List.copyOf(created);
      unchanged = List.copyOf(unchanged);
      drift = List.copyOf(drift);
      replicas = Map.copyOf(replicas);
    }

    public boolean hasDrift() {
      return !drift.isEmpty();
    }

    /** Whether {@code topic} has fewer replicas than the cluster allows. */
    public boolean underReplicated(String topic) {
      return replicas.getOrDefault(topic, replication) < replication;
    }

    /** A few lines for a terminal or a log. */
    public String describe() {
      StringBuilder out = new StringBuilder();
      out.append("topics created: ").append(created.isEmpty() ? "none" : String.join(", ", created));
      out.append("\ntopics already as catalogued: ")
          .append(unchanged.isEmpty() ? "none" : String.join(", ", unchanged));
      if (hasDrift()) {
        out.append("\ndrift (left unchanged; fix by hand if intended):");
        drift.forEach(line -> out.append("\n  ").append(line));
      }
      return out.toString();
    }
  }

  /** Compares one existing topic with its catalogue entry; pure, so it is tested without Kafka. */
  static final class TopicDrift {
    private TopicDrift() {}

    /**
     * @param replicas the topic's replica count
     * @param replication what the cluster allows ({@link #replicationFor})
     * @param actual the topic's settings
     */
    static List<String> lines(
        TopicSpec spec, int partitions, int replicas, int replication, Map<String, String> actual) {
      List<String> lines = new ArrayList<>();
      if (partitions != spec.partitions()) {
        lines.add(
            spec.name() + ": has " + partitions + " partitions, the catalogue says "
                + spec.partitions());
      }
      if (replicas < replication) {
        lines.add(
            spec.name() + ": has " + replicas + (replicas == 1 ? " replica" : " replicas")
                + ", the cluster allows " + replication + " (min(3, brokers))");
      }
      // min.insync.replicas is judged against the topic's own replication: asking for 2 on a
      // topic with one replica would make it refuse every write
      settingsFor(spec, replicas)
          .forEach(
              (key, wanted) -> {
                String value = actual.get(key);
                if (!wanted.equals(value)) {
                  lines.add(
                      spec.name() + ": " + key + " is " + (value == null ? "unset" : value)
                          + ", the catalogue says " + wanted);
                }
              });
      return lines;
    }
  }
}
