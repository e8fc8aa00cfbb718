package io.spanlog.discovery.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * deploy/compose.yaml runs the real programs: every Spanlog service's command names a module of
 * this repository and a main class in it, and its options pass that main's own argument parsing
 * (picocli, the real command classes; nothing is started). There is no Docker engine here, so this
 * is what keeps the file honest.
 */
class DeployComposeTest {
  static final Path REPO = Path.of("").toAbsolutePath().getParent();
  static final Path COMPOSE = REPO.resolve("deploy").resolve("compose.yaml");
  static final String IMAGE = "spanlog:dev";

  @Test
  void everySpanlogServiceCommandParsesWithTheRealCli() throws Exception {
    Map<String, Map<String, Object>> services = services();
    List<String> checked = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object>> e : services.entrySet()) {
      Map<String, Object> service = e.getValue();
      if (!IMAGE.equals(service.get("image"))) {
        continue; // Kafka's own image
      }
      List<String> command = command(e.getKey(), service);
      String module = command.get(0);
      String mainClass = command.get(1);
      String[] options = command.subList(2, command.size()).toArray(String[]::new);
      assertThat(REPO.resolve(module).resolve("pom.xml")).as("%s: module %s", e.getKey(), module).exists();
      assertThat(REPO.resolve(module).resolve("src/main/java").resolve(mainClass.replace('.', '/') + ".java"))
          .as("%s: main class %s in module %s", e.getKey(), mainClass, module).exists();
      Object main;
      try {
        main = Class.forName(mainClass).getDeclaredConstructor().newInstance();
      } catch (ClassNotFoundException notHere) {
        throw new AssertionError(e.getKey() + ": " + mainClass + " is not on discovery-projector's test classpath;"
            + " add module " + module + " as a test dependency so its command can be checked", notHere);
      }
      try {
        new CommandLine(main).parseArgs(options);
      } catch (CommandLine.ParameterException bad) {
        throw new AssertionError(e.getKey() + ": " + String.join(" ", command) + ": " + bad.getMessage(), bad);
      }
      if (main instanceof DiscoveryMain discovery) {
        discovery.fromFlags("kafka:9092", "compose"); // the values too: addresses, durations
        assertThat(discovery.bootstrap).as("%s: --bootstrap to the compose brokers", e.getKey())
            .isEqualTo("kafka-1:9092,kafka-2:9092,kafka-3:9092");
      }
      checked.add(e.getKey());
    }
    assertThat(checked).as("the Spanlog services of compose.yaml")
        .contains("spanlog-topics", "discovery-1", "discovery-2");
  }

  @Test
  void everyDependencyIsAServiceOfTheFile() throws Exception {
    Map<String, Map<String, Object>> services = services();
    services.forEach((name, service) -> {
      Object deps = service.get("depends_on");
      if (deps instanceof Map<?, ?> m) {
        assertThat(services.keySet()).as("%s depends on", name).containsAll(m.keySet().stream().map(String::valueOf).toList());
      }
    });
  }

  @Test
  void anUnknownFlagWouldFailThisTest() {
    // the check above, on the flag the old placeholder used
    CommandLine cli = new CommandLine(new DiscoveryMain());
    assertThatThrownBy(() -> cli.parseArgs("--kafka", "kafka-1:9092"))
        .isInstanceOf(CommandLine.UnmatchedArgumentException.class);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> services() throws Exception {
    Map<String, Object> root = new Yaml().load(Files.readString(COMPOSE));
    return (Map<String, Map<String, Object>>) root.get("services");
  }

  private static List<String> command(String name, Map<String, Object> service) {
    Object command = service.get("command");
    assertThat(command).as("%s: a command (module, main class, options), as list", name).isInstanceOf(List.class);
    List<String> parts = ((List<?>) command).stream().map(String::valueOf).toList();
    assertThat(parts).as("%s: module and main class at least", name).hasSizeGreaterThanOrEqualTo(2);
    return parts;
  }
}
