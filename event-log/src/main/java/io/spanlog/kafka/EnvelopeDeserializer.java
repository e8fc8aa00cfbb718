package io.spanlog.kafka;

import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads an {@link Envelope} from JSON, throwing on a bad record. Long-running consumers read raw
 * bytes and go through {@link DeadLetterRouter} instead, so a bad record never stops them; this
 * deserializer is for tools that want to fail loudly.
 */
public final class EnvelopeDeserializer implements Deserializer<Envelope> {
  @Override
  public Envelope deserialize(String topic, byte[] data) {
    return data == null ? null : EventCodec.decode(data);
  }

}
