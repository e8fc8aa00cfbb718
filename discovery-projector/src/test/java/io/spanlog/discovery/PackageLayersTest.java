package io.spanlog.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The discovery service's packages depend one way: {@code server} wires everything and nothing
 * depends on it; below it each package may use only the ones listed here. Read from the sources
 * (imports and fully qualified names), so a new arrow against the direction fails the build.
 */
class PackageLayersTest {
  static final Path SOURCES = Path.of("src/main/java/io/spanlog/discovery");
  static final Pattern REFERENCE = Pattern.compile("io\\.spanlog\\.discovery\\.([a-z]+)\\.");

  /** What each package of this module may use among this module's packages. */
  static final Map<String, Set<String>> ALLOWED = Map.of(
      "server", Set.of("rpc", "projection", "log", "expiry", "ownership", "metrics"),
      "rpc", Set.of("metrics", "projection", "log"),
      "metrics", Set.of("projection", "expiry"),
      "ownership", Set.of("projection", "log"),
      "expiry", Set.of("projection", "log"),
      "projection", Set.of("log"),
      "log", Set.of());

  @Test
  void packagesDependOnlyDownwards() throws IOException {
    Map<String, Set<String>> found = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String from = SOURCES.relativize(file).getName(0).toString();
        Matcher m = REFERENCE.matcher(Files.readString(file));
        while (m.find()) {
          String to = m.group(1);
          if (!to.equals(from) && Files.isDirectory(SOURCES.resolve(to))) {
            found.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
          }
        }
      }
    }
    assertThat(ALLOWED.keySet()).as("every package of the module has its rule")
        .containsAll(found.keySet());
    found.forEach((from, uses) -> assertThat(ALLOWED.get(from)).as("packages %s may use", from).containsAll(uses));
  }
}
