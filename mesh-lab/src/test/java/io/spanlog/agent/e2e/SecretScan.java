package io.spanlog.agent.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Looks for secrets where they must never be: every record (key, value, headers) of every topic of
 * a broker, read from the start, and log files. Each secret is looked for in base64 (padded,
 * unpadded, URL-safe), hex (lower and upper case) and as its raw bytes. A hit names the secret and
 * the form, never the secret itself.
 */
final class SecretScan {
  /** A secret and the name a hit reports it under (e.g. "node-1 private key"). */
  record Secret(String name, byte[] raw) {
    Secret {
      Objects.requireNonNull(name, "name");
      raw = raw.clone();
    }

    Map<String, byte[]> forms() {
      Map<String, byte[]> out = new LinkedHashMap<>();
      out.put("base64", ascii(Base64.getEncoder().encodeToString(raw)));
      out.put("base64 without padding", ascii(Base64.getEncoder().withoutPadding().encodeToString(raw)));
      out.put("base64url", ascii(Base64.getUrlEncoder().withoutPadding().encodeToString(raw)));
      out.put("hex", ascii(HexFormat.of().formatHex(raw)));
      out.put("HEX", ascii(HexFormat.of().withUpperCase().formatHex(raw)));
      out.put("raw bytes", raw.clone());
      return out;
    }

    private static byte[] ascii(String s) {
      return s.getBytes(StandardCharsets.US_ASCII);
    }
  }

  /** Where a secret was found, in which form. */
  record Hit(String secret, String form, String where) {}

  /** What a topic scan read: records per topic, and the hits. */
  record TopicReport(Map<String, Long> records, List<Hit> hits) {}

  private SecretScan() {}

  static List<Hit> scan(String where, byte[] data, List<Secret> secrets) {
    List<Hit> hits = new ArrayList<>();
    for (Secret s : secrets) {
      s.forms().forEach((form, needle) -> {
        if (indexOf(data, needle) >= 0) {
          hits.add(new Hit(s.name(), form, where));
        }
      });
    }
    return hits;
  }

  static List<Hit> scanFiles(List<Path> files, List<Secret> secrets) throws IOException {
    List<Hit> hits = new ArrayList<>();
    for (Path f : files) {
      hits.addAll(scan(f.toString(), Files.readAllBytes(f), secrets));
    }
    return hits;
  }

  /** Reads every record of every (non-internal) topic of the broker from its start. */
  static TopicReport scanTopics(String bootstrap, List<Secret> secrets) throws Exception {
    Map<String, Long> counts = new LinkedHashMap<>();
    List<Hit> hits = new ArrayList<>();
    List<TopicPartition> partitions = new ArrayList<>();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      var topics = admin.describeTopics(admin.listTopics().names().get()).allTopicNames().get();
      topics.forEach((name, description) -> {
        counts.put(name, 0L);
        description.partitions().forEach(p -> partitions.add(new TopicPartition(name, p.partition())));
      });
    }
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "secret-scan-" + UUID.randomUUID(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the secret scan could not read every topic to its end within 60 s");
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          counts.merge(r.topic(), 1L, Long::sum);
          String where = "topic " + r.topic() + "/" + r.partition() + "@" + r.offset();
          if (r.key() != null) {
            hits.addAll(scan(where + " key", r.key(), secrets));
          }
          if (r.value() != null) {
            hits.addAll(scan(where + " value", r.value(), secrets));
          }
          for (Header h : r.headers()) {
            if (h.value() != null) {
              hits.addAll(scan(where + " header " + h.key(), h.value(), secrets));
            }
          }
        }
      }
    }
    return new TopicReport(counts, hits);
  }

  private static int indexOf(byte[] data, byte[] needle) {
    outer:
    for (int i = 0; i <= data.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
