package io.spanlog.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Kafka client properties an operator gives in a file ({@code --kafka-config FILE}): TLS, SASL,
 * timeouts, anything a secured or distant cluster needs. A service merges them over its own
 * settings into every producer, consumer and admin client it creates, so "any Kafka cluster"
 * includes secured ones.
 *
 * <p>The settings Spanlog's guarantees rest on are not the file's: the bootstrap servers come
 * from {@code --bootstrap}, producers are idempotent with {@code acks=all}, serializers and
 * consumer groups are chosen by the service. A file that sets one of them is refused, as is a file
 * that cannot be read or holds a value Kafka would reject. {@code client.id} in the file becomes
 * the prefix of each client's own id (a service runs several clients, each needs its own id).
 *
 * <p>Values are secrets until proven otherwise: {@link #describe()} shows only the values of
 * settings Kafka knows and does not type as a password, and no error message quotes a value.
 */
public final class KafkaClientConfig {
  /** No file: the service's own settings alone. */
  public static final KafkaClientConfig NONE = new KafkaClientConfig(Map.of(), Optional.empty());

  /** Settings the file may not hold, each with the sentence that says why. */
  static final Map<String, String> FIXED = fixed();

  private static final List<ConfigDef> DEFINITIONS =
      List.of(ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef());
  private static final List<String> SECRET_WORDS =
      List.of("password", "secret", "jaas", "token", "credential");

  private final Map<String, String> properties;
  private final Optional<Path> source;

  private KafkaClientConfig(Map<String, String> properties, Optional<Path> source) {
    this.properties = Map.copyOf(properties);
    this.source = source;
  }

  /**
   * Reads a Java properties file.
   *
   * @throws IllegalArgumentException with one sentence naming the file (and the setting) when it
   *     cannot be read, sets what Spanlog fixes, or holds a value Kafka rejects; never quoting a value
   */
  public static KafkaClientConfig load(Path file) {
    Objects.requireNonNull(file, "file");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--kafka-config " + file + ": no such file");
    }
    Properties loaded = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      loaded.load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--kafka-config " + file + ": cannot read it (" + e.getClass().getSimpleName() + ")");
    } catch (IllegalArgumentException e) {
      // Properties.load's own message ("Malformed \\uxxxx encoding.") holds no value
      throw new IllegalArgumentException(
          "--kafka-config " + file + ": not a properties file (" + e.getMessage() + ")");
    }
    Map<String, String> values = new TreeMap<>();
    loaded.stringPropertyNames().forEach(name -> values.put(name, loaded.getProperty(name).strip()));
    return checked(values, Optional.of(file));
  }

  /** The given properties, checked as a file's would be (for tests and embedding programs). */
  public static KafkaClientConfig of(Map<String, String> values) {
    return checked(new TreeMap<>(values), Optional.empty());
  }

  private static KafkaClientConfig checked(Map<String, String> values, Optional<Path> source) {
    String where = "--kafka-config " + source.map(Path::toString).orElse("(given)");
    for (Map.Entry<String, String> e : values.entrySet()) {
      String why = FIXED.get(e.getKey());
      if (why != null) {
        throw new IllegalArgumentException(where + ": " + e.getKey() + " cannot be set there: " + why);
      }
      definition(e.getKey()).ifPresent(key -> {
        try {
          Object parsed = ConfigDef.parseType(key.name, e.getValue(), key.type);
          if (key.validator != null) {
            key.validator.ensureValid(key.name, parsed);
          }
        } catch (ConfigException bad) {
          // Kafka's message quotes the value; ours names the setting and its type only
          throw new IllegalArgumentException(where + ": " + e.getKey() + " has a value Kafka does not accept"
              + " (expected " + key.type.name().toLowerCase(Locale.ROOT) + validRange(key) + ")");
        }
      });
    }
    return new KafkaClientConfig(values, source);
  }

  private static String validRange(ConfigDef.ConfigKey key) {
    return key.validator == null ? "" : ", " + key.validator;
  }

  /** The file this came from, if any. */
  public Optional<Path> source() {
    return source;
  }

  public boolean isEmpty() {
    return properties.isEmpty();
  }

  /** {@code base} with the file's producer settings over it. */
  public Map<String, Object> producer(Map<String, Object> base) {
    return merged(base, ProducerConfig.configNames());
  }

  /** {@code base} with the file's consumer settings over it. */
  public Map<String, Object> consumer(Map<String, Object> base) {
    return merged(base, ConsumerConfig.configNames());
  }

  /** {@code base} with the file's admin client settings over it. */
  public Map<String, Object> admin(Map<String, Object> base) {
    return merged(base, AdminClientConfig.configNames());
  }

  /**
   * The settings a client of one kind takes from the file: those its kind knows, and those no
   * Kafka client knows (a SASL or TLS plug-in may read them), so that a producer is not handed a
   * consumer's settings and does not warn about them.
   */
  private Map<String, Object> merged(Map<String, Object> base, Set<String> known) {
    Map<String, Object> out = new HashMap<>(base);
    properties.forEach((name, value) -> {
      if (name.equals(CommonClientConfigs.CLIENT_ID_CONFIG)) {
        Object own = base.get(CommonClientConfigs.CLIENT_ID_CONFIG);
        out.put(name, own == null || own.toString().isEmpty() ? value : value + "-" + own);
      } else if (known.contains(name) || definition(name).isEmpty()) {
        out.put(name, value);
      }
    });
    return out;
  }

  /**
   * One line for a start-up log: where the settings came from and each name, with its value only
   * where the value cannot be a secret.
   */
  public String describe() {
    if (properties.isEmpty()) {
      return "no Kafka client properties file";
    }
    String settings = new TreeMap<>(properties).entrySet().stream()
        .map(e -> e.getKey() + "=" + (isSecret(e.getKey()) ? "(hidden)" : e.getValue()))
        .collect(Collectors.joining(", "));
    List<String> unknown = properties.keySet().stream().filter(n -> definition(n).isEmpty()).sorted().toList();
    return "Kafka client properties from " + source.map(Path::toString).orElse("(given)") + ": " + settings
        + (unknown.isEmpty() ? "" : " (not Kafka client settings, passed on as given: " + String.join(", ", unknown) + ")");
  }

  @Override
  public String toString() {
    return describe();
  }

  /** Whether a setting's value may be a secret: a password type, a secret-sounding name, or unknown to Kafka. */
  static boolean isSecret(String name) {
    Optional<ConfigDef.ConfigKey> key = definition(name);
    if (key.isEmpty() || key.get().type == ConfigDef.Type.PASSWORD) {
      return true;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    return SECRET_WORDS.stream().anyMatch(lower::contains);
  }

  private static Optional<ConfigDef.ConfigKey> definition(String name) {
    return DEFINITIONS.stream().map(d -> d.configKeys().get(name)).filter(Objects::nonNull).findFirst();
  }

  private static Map<String, String> fixed() {
    Map<String, String> m = new TreeMap<>();
    m.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "give the servers with --bootstrap");
    m.put(ProducerConfig.ACKS_CONFIG, "Spanlog's producers always wait for acks=all");
    m.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "Spanlog's producers are always idempotent");
    Stream.of(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG)
        .forEach(n -> m.put(n, "the service chooses how its records are encoded"));
    m.put(ConsumerConfig.GROUP_ID_CONFIG, "the service chooses its consumer groups");
    m.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "the service manages its consumers' positions");
    return Map.copyOf(m);
  }
}
