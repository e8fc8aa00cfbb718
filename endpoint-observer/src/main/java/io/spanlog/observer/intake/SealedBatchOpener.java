package io.spanlog.observer.intake;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.events.Envelope;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.SealedSampleBatch;
import io.spanlog.secrets.ClusterSecrets;
import io.spanlog.telemetry.Opening;
import io.spanlog.telemetry.TelemetrySeal;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the {@code telemetry.sealed-batch} events agents send, each with its cluster's secret from
 * the secrets directory ({@link ClusterSecrets}, which picks up files added later); the plaintext
 * {@code handshake.sample-batch} events older agents left in the log are still read as they were.
 *
 * <p>A sealed batch that does not open is refused with the seal's problem ({@code
 * NOT_SEALED_FOR_CLUSTER}, {@code TAMPERED}, {@code TRUNCATED}, ...: see {@link
 * io.spanlog.telemetry.SealProblem}), and one whose cluster has no registered secret with {@link
 * #NO_SECRET}, saying that the cluster's links need its secret; the topology sends both to the
 * dead-letter topic. Refusals are counted per cluster and problem ({@link #refusals()}) for the
 * service's metrics.
 *
 * <p>Thread-safe: stream threads share one opener.
 */
public final class SealedBatchOpener implements BatchOpener {
  /** The batch's cluster has no secret in the secrets directory. */
  public static final String NO_SECRET = "NO_SECRET";
  private static final Logger LOG = LoggerFactory.getLogger(SealedBatchOpener.class);

  /** One count of {@link #refusals()}. */
  public record Refusal(String clusterId, String problem) {}

  /** The seal of one cluster, kept while its secret stays the same (the key is derived once). */
  private record ClusterSeal(ClusterSecret secret, TelemetrySeal seal) {}

  private final ClusterSecrets secrets;
  private final PlaintextBatchOpener plaintext = new PlaintextBatchOpener();
  private final Map<String, ClusterSeal> seals = new ConcurrentHashMap<>();
  private final Map<Refusal, LongAdder> refused = new ConcurrentHashMap<>();
  private final Set<String> toldNoSecret = ConcurrentHashMap.newKeySet();

  public SealedBatchOpener(ClusterSecrets secrets) {
    this.secrets = Objects.requireNonNull(secrets, "secrets");
  }

  @Override
  public Result open(Envelope envelope) {
    if (!(envelope.payload() instanceof SealedSampleBatch sealed)) {
      return count(envelope.clusterId(), plaintext.open(envelope));
    }
    String cluster = envelope.clusterId();
    Optional<ClusterSecret> secret = secrets.lookup(cluster);
    if (secret.isEmpty()) {
      if (toldNoSecret.add(cluster)) {
        LOG.warn("cluster {} has no secret in the secrets directory ({}): its batches go to the dead-letter topic "
            + "and its links need its secret (add a file for it; this is logged once per cluster)", cluster,
            secrets.directory().map(Object::toString).orElse("none given: --secrets"));
      }
      return count(cluster, new Refused(NO_SECRET, "no secret for cluster " + cluster
          + ": its links need its secret (add a file naming it to the observer's secrets directory, then "
          + "reprocess its retained telemetry)"));
    }
    toldNoSecret.remove(cluster);
    Opening opening = sealOf(cluster, secret.get()).open(cluster, sealed);
    if (opening instanceof Opening.Refused r) {
      return count(cluster, new Refused(r.problem().name(), r.reason()));
    }
    HandshakeSampleBatch batch = ((Opening.Opened) opening).batch();
    return new Opened(new TelemetryBatch(cluster, envelope.at(), batch.sampledAtOr(envelope.at()), batch));
  }

  private TelemetrySeal sealOf(String cluster, ClusterSecret secret) {
    ClusterSeal known = seals.get(cluster);
    if (known != null && known.secret().equals(secret)) {
      return known.seal();
    }
    ClusterSeal fresh = new ClusterSeal(secret, new TelemetrySeal(secret));
    seals.put(cluster, fresh);
    return fresh.seal();
  }

  private Result count(String cluster, Result result) {
    if (result instanceof Refused r) {
      refused.computeIfAbsent(new Refusal(cluster, r.problem()), k -> new LongAdder()).increment();
    }
    return result;
  }

  /** Batches refused so far, per cluster and problem. */
  public Map<Refusal, Long> refusals() {
    return refused.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> e.getValue().sum()));
  }

  /** Batches of {@code clusterId} refused so far for {@code problem}. */
  public long refused(String clusterId, String problem) {
    LongAdder n = refused.get(new Refusal(clusterId, problem));
    return n == null ? 0 : n.sum();
  }
}
