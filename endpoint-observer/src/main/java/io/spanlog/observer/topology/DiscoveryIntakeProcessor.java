package io.spanlog.observer.topology;

import io.spanlog.events.AffiliateDeleted;
import io.spanlog.events.AffiliateExpired;
import io.spanlog.events.AffiliateUpdated;
import io.spanlog.events.EndpointsExpired;
import io.spanlog.events.Envelope;
import io.spanlog.events.Event;
import io.spanlog.events.EventCodec;
import io.spanlog.events.EventDecodingException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads: the discovery events topic. Emits: the affiliate events (updated, deleted, expired,
 * endpoints expired) to {@link ObserverTopology#OBSERVE}, which folds them. A record that does not
 * decode, or whose key is not its cluster id, is skipped and said once per problem in the log: the
 * discovery service's own consumers dead-letter it already, and the observer only reads this
 * topic.
 */
final class DiscoveryIntakeProcessor implements Processor<byte[], byte[], byte[], Object> {
  private static final Logger LOG = LoggerFactory.getLogger(DiscoveryIntakeProcessor.class);
  private static final Set<String> TOLD = ConcurrentHashMap.newKeySet();

  private ProcessorContext<byte[], Object> context;

  @Override
  public void init(ProcessorContext<byte[], Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    if (record.value() == null) {
      return;
    }
    Envelope e;
    try {
      e = EventCodec.decode(record.value());
    } catch (EventDecodingException bad) {
      once(bad.problem().name(), "a discovery event that does not decode is skipped for peer-spec"
          + " drift: " + bad.getMessage());
      return;
    }
    if (!isAffiliateEvent(e.payload())) {
      return;
    }
    String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    if (!key.equals(e.clusterId())) {
      once("KEY_NOT_CLUSTER", "a discovery event keyed otherwise than by its cluster id is skipped"
          + " for peer-spec drift (cluster " + e.clusterId() + ")");
      return;
    }
    context.forward(new Record<>(record.key(), (Object) e, record.timestamp()),
        ObserverTopology.OBSERVE);
  }

  private static boolean isAffiliateEvent(Event p) {
    return p instanceof AffiliateUpdated || p instanceof AffiliateDeleted
        || p instanceof AffiliateExpired || p instanceof EndpointsExpired;
  }

  private static void once(String problem, String sentence) {
    if (TOLD.add(problem)) {
      LOG.warn("{} (said once per problem)", sentence);
    }
  }
}
