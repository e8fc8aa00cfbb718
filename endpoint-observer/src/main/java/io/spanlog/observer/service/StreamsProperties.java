package io.spanlog.observer.service;

import io.spanlog.kafka.TopicInstaller;
import io.spanlog.observer.ObserverEvents;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams settings of an observer instance: one place, pure, so each choice is tested
 * and explained here.
 */
public final class StreamsProperties {
  private StreamsProperties() {}

  /** Replication of the internal topics, and the in-sync replicas a write needs. */
  public record Replication(int factor, int minInSync) {
    /**
     * The topic installer's rule for Spanlog's own topics: as many replicas as brokers, at most
     * three, and two in sync once there are three, so one broker may fail without stopping
     * writes or losing any.
     */
    public static Replication forBrokers(int brokers) {
      return of(TopicInstaller.replicationFor(brokers));
    }

    static Replication of(int factor) {
      return new Replication(factor, factor >= 3 ? 2 : 1);
    }
  }

  /**
   * @param applicationServer this instance's read API as others reach it ({@code host:port})
   * @param events told about records the processing exception handler dead-letters
   */
  public static Properties of(ObserverConfig c, Replication replication, String applicationServer,
      ObserverEvents events) {
    Properties p = new Properties();
    // the operator's client settings for each kind of client Streams runs; ours below win, and
    // the file cannot hold those Spanlog's guarantees rest on (KafkaClientConfig refuses them)
    Map<String, Object> fromFile = new HashMap<>();
    fromFile = c.kafka().producer(fromFile);
    fromFile = c.kafka().consumer(fromFile);
    fromFile = c.kafka().admin(fromFile);
    p.putAll(fromFile);
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, c.applicationId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrap());
    p.put(StreamsConfig.STATE_DIR_CONFIG, c.stateDir().toString());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, c.threads());
    p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
    // Outputs, dead letters, changelogs and input offsets commit in one transaction.
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replication.factor());
    p.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
        Integer.toString(replication.minInSync()));
    // An exception in a processor (a bug: bad input is dead-lettered by the intake) dead-letters
    // the record inside the transaction and the stream goes on, as for bad input.
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, ProcessingErrors.class);
    p.put(ProcessingErrors.DEAD_LETTER_TOPIC, c.settings().deadLetterTopic());
    p.put(ProcessingErrors.CONSUMER, c.settings().producer());
    p.put(ProcessingErrors.EVENTS, events);
    // Streams warns without it, and makes it the default in 5.0: the same handler for every task.
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    // A batch of 100 peers is a few tens of KiB; bound how much a poll takes at once.
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 500);
    return p;
  }
}
