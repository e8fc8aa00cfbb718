package io.spanlog.kafka;

import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import org.apache.kafka.common.serialization.Serializer;

/** Writes an {@link Envelope} as its JSON form. */
public final class EnvelopeSerializer implements Serializer<Envelope> {
  @Override
  public byte[] serialize(String topic, Envelope envelope) {
    return envelope == null ? null : EventCodec.encode(envelope);
  }
}
