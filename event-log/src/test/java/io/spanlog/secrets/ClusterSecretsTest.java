package io.spanlog.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.affiliate.ClusterSecretFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSecretsTest {
  @TempDir
  Path dir;
  final List<String> reported = new CopyOnWriteArrayList<>();

  static ClusterSecret newSecret() {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    return ClusterSecret.fromBytes(raw);
  }

  Path write(String name, String clusterId, ClusterSecret secret) throws IOException {
    return write(name, ClusterSecretFile.render(new ClusterSecretFile.Entry(clusterId, secret)));
  }

  Path write(String name, String text) throws IOException {
    Path tmp = dir.resolve("." + name + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    return Files.move(tmp, dir.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  ClusterSecrets secrets() {
    ClusterSecrets s = new ClusterSecrets(Optional.of(dir), reported::add);
    s.rescan();
    return s;
  }

  @Test
  void eachFileNamesItsClusterInsideSoIdsMayHoldSlashes() throws Exception {
    ClusterSecret a = newSecret();
    ClusterSecret b = newSecret();
    write("prod.yaml", "JZ3o+Tq/x9w=", a);
    write("lab", "team/lab/1", b);

    ClusterSecrets s = secrets();

    assertThat(s.lookup("JZ3o+Tq/x9w=")).contains(a);
    assertThat(s.lookup("team/lab/1")).contains(b);
    assertThat(s.lookup("prod.yaml")).isEmpty();
    assertThat(s.clusters()).containsExactlyInAnyOrder("JZ3o+Tq/x9w=", "team/lab/1");
    assertThat(reported).isEmpty();
  }

  @Test
  void aFileAddedLaterIsPickedUpWithoutARestart() throws Exception {
    ClusterSecret a = newSecret();
    try (ClusterSecrets s = ClusterSecrets.watching(dir, Duration.ofMillis(50))) {
      assertThat(s.lookup("late")).isEmpty();
      write("late.yaml", "late", a);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (s.lookup("late").isEmpty()) {
        assertThat(System.nanoTime()).as("picked up within 30 s").isLessThan(deadline);
        Thread.sleep(20);
      }
      assertThat(s.lookup("late")).contains(a);
      Files.delete(dir.resolve("late.yaml"));
      while (s.lookup("late").isPresent()) {
        assertThat(System.nanoTime()).as("dropped within 30 s").isLessThan(deadline);
        Thread.sleep(20);
      }
    }
  }

  @Test
  void aBadFileIsReportedOnceNamingTheFileNeverItsContent() throws Exception {
    String secretText = newSecret().revealBase64();
    Path bad = write("broken.yaml", "clusterId: c1\nsecret: " + secretText.substring(3) + "\n");
    write("good.yaml", "c2", newSecret());

    ClusterSecrets s = secrets();
    s.rescan();
    s.rescan();

    assertThat(reported).singleElement().satisfies(m -> {
      assertThat(m).startsWith("secrets file " + bad + " is not a cluster secret file: ")
          .contains("cluster secret").contains("its cluster is not registered from it");
      assertThat(m).doesNotContain(secretText.substring(3)).doesNotContain("c1");
    });
    assertThat(s.problems()).containsOnlyKeys(bad);
    assertThat(s.lookup("c1")).isEmpty();
    assertThat(s.lookup("c2")).isPresent(); // one bad file does not hide the others

    // fixed in place: registered, and nothing more reported
    ClusterSecret fixed = newSecret();
    write("broken.yaml", "c1", fixed);
    s.rescan();
    assertThat(s.lookup("c1")).contains(fixed);
    assertThat(s.problems()).isEmpty();
    assertThat(reported).hasSize(1);
  }

  @Test
  void twoFilesForOneClusterKeepTheFirstAndSaySo() throws Exception {
    ClusterSecret first = newSecret();
    write("a.yaml", "same", first);
    Path second = write("b.yaml", "same", newSecret());

    ClusterSecrets s = secrets();
    s.rescan();

    assertThat(s.lookup("same")).contains(first);
    assertThat(reported).singleElement().asString()
        .isEqualTo("secrets file " + second + " names cluster same as " + dir.resolve("a.yaml") + " does; ignored");
  }

  @Test
  void aFileReadableByOthersIsUsedButReported() throws Exception {
    Path shared = write("shared.yaml", "c", newSecret());
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r--r--"));

    ClusterSecrets s = secrets();

    assertThat(s.lookup("c")).isPresent();
    assertThat(reported).singleElement().asString().isEqualTo("secrets file " + shared + " is readable by group or others: chmod 600 it");
  }

  @Test
  void hiddenFilesAndNonFilesAreSkipped() throws Exception {
    Files.writeString(dir.resolve(".swp"), "junk");
    Files.createDirectory(dir.resolve("..data"));
    ClusterSecrets s = secrets();
    assertThat(s.clusters()).isEmpty();
    assertThat(reported).isEmpty();
  }

  @Test
  void aMissingDirectoryIsASentence() {
    assertThatThrownBy(() -> ClusterSecrets.watching(dir.resolve("nope")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the secrets directory " + dir.resolve("nope") + " does not exist (one file per cluster: clusterId and secret)");
    assertThat(ClusterSecrets.none().lookup("any")).isEmpty();
  }
}
