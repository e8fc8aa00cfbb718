package io.spanlog.observer.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.spanlog.events.EventCodec;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** A store value as Spanlog's JSON (the events' mapper: Optional as null, instants as ISO-8601). */
final class JsonSerde<T> implements Serde<T> {
  private final Class<T> type;

  JsonSerde(Class<T> type) {
    this.type = type;
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> {
      if (value == null) {
        return null;
      }
      try {
        return EventCodec.mapper().writeValueAsBytes(value);
      } catch (JsonProcessingException e) {
        throw new SerializationException("cannot write " + type.getSimpleName(), e);
      }
    };
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        return EventCodec.mapper().readValue(bytes, type);
      } catch (IOException e) {
        throw new SerializationException("cannot read " + type.getSimpleName(), e);
      }
    };
  }
}
