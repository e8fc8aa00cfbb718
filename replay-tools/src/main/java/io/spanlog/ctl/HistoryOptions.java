package io.spanlog.ctl;

import io.spanlog.history.read.LogAccess;
import io.spanlog.history.time.TimeSpec;
import io.spanlog.topics.TopicCatalogue;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import picocli.CommandLine.Option;

/**
 * The flags every {@code ctl history} command shares: where the log is, and the output format.
 * A command mixes it in ({@code @Mixin HistoryOptions log;}) and reads TIMEs through {@link #time}.
 */
public final class HistoryOptions {
  @Option(names = "--bootstrap", paramLabel = "<host:port,...>", defaultValue = "${env:SPANLOG_KAFKA_BOOTSTRAP}",
      description = "Kafka bootstrap servers (default: $SPANLOG_KAFKA_BOOTSTRAP; when neither is given, attach to or start the embedded broker on 127.0.0.1:9092)")
  String bootstrap;

  @Option(names = "--kafka-config", paramLabel = "<file>",
      description = "Kafka client properties (Java properties file: TLS, SASL, timeouts, ...); secrets in it are never printed")
  Path kafkaConfig;

  @Option(names = "--kafka-data", paramLabel = "<folder>", defaultValue = "./.spanlog/kafka",
      description = "data folder of the embedded broker (default ${DEFAULT-VALUE})")
  Path kafkaData;

  @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "table|json|yaml",
      description = "table (default), json or yaml")
  String output;

  // Topic names of a test's own log (prefix.events, prefix.checkpoints, ...): tests share one broker.
  @Option(names = "--topic-prefix", hidden = true)
  String topicPrefix;

  /** The clock TIMEs are read against; tests set a fixed one. */
  Clock clock = Clock.systemUTC();

  public String eventsTopic() {
    return topicPrefix == null ? TopicCatalogue.DISCOVERY_EVENTS : topicPrefix + ".events";
  }

  public String checkpointsTopic() {
    return topicPrefix == null ? TopicCatalogue.DISCOVERY_CHECKPOINTS : topicPrefix + ".checkpoints";
  }

  public String telemetryTopic() {
    return topicPrefix == null ? TopicCatalogue.TELEMETRY : topicPrefix + ".telemetry";
  }

  public String linkEventsTopic() {
    return topicPrefix == null ? TopicCatalogue.LINK_EVENTS : topicPrefix + ".link-events";
  }

  public String linkMetricsTopic() {
    return topicPrefix == null ? TopicCatalogue.LINK_METRICS : topicPrefix + ".link-metrics";
  }

  /** The output format, checked. @throws CtlFailure (usage) for another */
  public String output() {
    if (!output.equals("table") && !output.equals("json") && !output.equals("yaml")) {
      throw CtlFailure.usage("-o must be table, json or yaml, not '" + output + "'");
    }
    return output;
  }

  /** {@code text} as an instant. @throws CtlFailure (usage) with the sentence of {@link TimeSpec} */
  public Instant time(String flag, String text) {
    try {
      return TimeSpec.parse(text, clock);
    } catch (IllegalArgumentException e) {
      throw CtlFailure.usage(flag + ": " + e.getMessage());
    }
  }

  /**
   * The log, as the flags and the environment say. Call after every flag is checked: it may start
   * the embedded broker.
   *
   * @throws CtlFailure (usage) for a bad --kafka-config file, (failure) when no broker can be used
   */
  public LogAccess access() {
    try {
      return LogAccess.resolve(bootstrap, kafkaConfig, kafkaData);
    } catch (IllegalArgumentException e) {
      throw CtlFailure.usage(e.getMessage());
    } catch (IllegalStateException e) {
      throw CtlFailure.failure(e.getMessage());
    }
  }
}
