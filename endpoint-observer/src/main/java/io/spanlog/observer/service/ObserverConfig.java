package io.spanlog.observer.service;

import io.spanlog.kafka.KafkaClientConfig;
import io.spanlog.net.HostPort;
import io.spanlog.observer.ObserverSettings;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One observer instance's settings: the topology's ({@link ObserverSettings}) and the service's.
 *
 * @param settings thresholds, windows and topics
 * @param bootstrap Kafka bootstrap servers
 * @param applicationId the Kafka Streams application id: instances sharing it share the work
 * @param stateDir where Kafka Streams keeps its local stores (rebuilt from changelogs if lost)
 * @param api where the read API listens (port 0: any free port)
 * @param advertised how other instances reach this one's read API ({@code application.server});
 *     empty: the listen address, or this host's name when listening on every interface
 * @param metrics where {@code /metrics} listens; empty turns it off
 * @param threads stream threads
 * @param replicas replication factor of the observer's internal topics (store changelogs);
 *     empty: as many as the cluster has brokers, at most three
 * @param partitions partitions of the topics it creates when missing
 * @param secrets the cluster secrets directory, if given
 * @param kafka the operator's Kafka client properties ({@code --kafka-config}: TLS, SASL,
 *     timeouts), for every client
 */
public record ObserverConfig(
    ObserverSettings settings,
    String bootstrap,
    String applicationId,
    Path stateDir,
    HostPort api,
    Optional<HostPort> advertised,
    Optional<HostPort> metrics,
    int threads,
    Optional<Integer> replicas,
    int partitions,
    Optional<Path> secrets,
    KafkaClientConfig kafka) {

  public static final String DEFAULT_APPLICATION_ID = "spanlog-endpoint-observer";
  public static final String DEFAULT_METRICS_ADDR = ":2123";

  public ObserverConfig {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(bootstrap, "bootstrap");
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(advertised, "advertised");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(replicas, "replicas");
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(kafka, "kafka");
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be at least 1, not " + threads);
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("--partitions must be at least 1, not " + partitions);
    }
    replicas.ifPresent(r -> {
      if (r < 1) {
        throw new IllegalArgumentException("--replicas must be at least 1, not " + r);
      }
    });
  }

  public ObserverConfig withBootstrap(String servers) {
    return new ObserverConfig(settings, servers, applicationId, stateDir, api, advertised, metrics,
        threads, replicas, partitions, secrets, kafka);
  }
}
