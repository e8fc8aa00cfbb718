package io.spanlog.kafka;

import io.spanlog.topics.TopicCatalogue;
import io.spanlog.topics.TopicSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics of the {@link TopicCatalogue} that do not exist yet and checks the ones
 * that do. An existing topic is never changed: where its partition count or one of the
 * catalogue's settings differs, the report says so in words and an operator decides (raising
 * partitions would move clusters to other partitions and break their ordering).
 */
public final class TopicInstaller {
  private final Admin admin;

  public TopicInstaller(Admin admin) {
    this.admin = Objects.requireNonNull(admin, "admin");
  }

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
    Set<String> existing = get(admin.listTopics().names(), "list topics");
    List<TopicSpec> missing = specs.stream().filter(s -> !existing.contains(s.name())).toList();
    List<String> created = new ArrayList<>();
    List<TopicSpec> present =
        new ArrayList<>(specs.stream().filter(s -> existing.contains(s.name())).toList());

    if (!missing.isEmpty()) {
      short replicas = replicationFactor();
      Map<String, KafkaFuture<Void>> results =
          admin
              .createTopics(
                  missing.stream()
                      .map(s -> new NewTopic(s.name(), s.partitions(), replicas).configs(s.configs()))
                      .toList())
              .values();
      for (TopicSpec spec : missing) {
        try {
          results.get(spec.name()).get();
          created.add(spec.name());
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

    List<String> drift = present.isEmpty() ? List.of() : drift(present);
    List<String> unchanged =
        present.stream()
            .map(TopicSpec::name)
            .filter(n -> drift.stream().noneMatch(line -> line.startsWith(n + ":")))
            .toList();
    return new Report(created, unchanged, drift);
  }

  private List<String> drift(List<TopicSpec> specs) {
    List<String> names = specs.stream().map(TopicSpec::name).toList();
    Map<String, TopicDescription> descriptions =
        get(admin.describeTopics(names).allTopicNames(), "describe topics");
    Map<ConfigResource, Config> configs =
        get(
            admin
                .describeConfigs(
                    names.stream()
                        .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                        .toList())
                .all(),
            "describe topic configs");
    List<String> lines = new ArrayList<>();
    for (TopicSpec spec : specs) {
      int partitions = descriptions.get(spec.name()).partitions().size();
      Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
      lines.addAll(TopicDrift.lines(spec, partitions, values(config)));
    }
    return List.copyOf(lines);
  }

  private static Map<String, String> values(Config config) {
    Collection<ConfigEntry> entries = config.entries();
    return entries.stream()
        .filter(e -> e.value() != null)
        .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value, (a, b) -> a, TreeMap::new));
  }

  private short replicationFactor() {
    int brokers = get(admin.describeCluster().nodes(), "describe the cluster").size();
    return (short) Math.max(1, Math.min(3, brokers));
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
   */
  public record Report(List<String> created, List<String> unchanged, List<String> drift) {
    public Report {
      created = List.copyOf(created);
      unchanged = List.copyOf(unchanged);
      drift = List.copyOf(drift);
    }

    public boolean hasDrift() {
      return !drift.isEmpty();
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

    static List<String> lines(TopicSpec spec, int partitions, Map<String, String> actual) {
      List<String> lines = new ArrayList<>();
      if (partitions != spec.partitions()) {
        lines.add(
            spec.name() + ": has " + partitions + " partitions, the catalogue says "
                + spec.partitions());
      }
      new TreeMap<>(spec.configs())
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
