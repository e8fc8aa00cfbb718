package io.spanlog.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.kafka.KafkaClientConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code spanlog topics}' flags, without a cluster. */
class TopicsMainTest {
  @TempDir Path dir;

  static TopicsMain parsed(String... args) {
    TopicsMain main = new TopicsMain();
    new CommandLine(main).parseArgs(args);
    return main;
  }

  @Test
  void bootstrapIsSpelledLikeTheOtherCommandsAndTheOldSpellingStays() {
    assertThat(parsed("--bootstrap", "k1:9092,k2:9092").bootstrapServers).isEqualTo("k1:9092,k2:9092");
    assertThat(parsed("--bootstrap-servers", "k3:9092").bootstrapServers).isEqualTo("k3:9092");
  }

  @Test
  void theFilesPropertiesReachTheAdminClientAndTheServersComeFromTheFlag() throws Exception {
    Path file = dir.resolve("kafka.properties");
    Files.writeString(file, "security.protocol=SSL\nrequest.timeout.ms=45000\nclient.id=ops\n");
    TopicsMain main = parsed("--bootstrap", "k1:9093", "--kafka-config", file.toString());
    Map<String, Object> admin = main.adminSettings(KafkaClientConfig.load(main.kafkaConfig));
    assertThat(admin)
        .containsEntry("bootstrap.servers", "k1:9093")
        .containsEntry("security.protocol", "SSL")
        .containsEntry("request.timeout.ms", "45000")
        .containsEntry("client.id", "ops-spanlog-topics")
        .containsEntry("default.api.timeout.ms", 45000);
  }

  @Test
  void aBadFileExitsTwoWithOneSentenceBeforeTouchingKafka() throws Exception {
    Path file = dir.resolve("kafka.properties");
    Files.writeString(file, "acks=0\n");
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new TopicsMain()).setErr(new PrintWriter(err));
    // a closed port: were the file accepted, the admin client would time out and exit 1
    int code = cli.execute("--bootstrap", "127.0.0.1:1", "--kafka-config", file.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip()).isEqualTo("spanlog topics: --kafka-config " + file
        + ": acks cannot be set there: Spanlog's producers always wait for acks=all");

    StringWriter err2 = new StringWriter();
    int missing = new CommandLine(new TopicsMain()).setErr(new PrintWriter(err2))
        .execute("--kafka-config", dir.resolve("absent").toString());
    assertThat(missing).isEqualTo(2);
    assertThat(err2.toString()).contains("--kafka-config " + dir.resolve("absent") + ": no such file");
  }
}
