package io.spanlog.affiliate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClusterSecretFileTest {
  static final ClusterSecret SECRET = ClusterSecret.fromBytes(new byte[] {
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});

  @Test
  void aRenderedFileReadsBackWithIdsThatAreNotFileNames() {
    for (String id : new String[] {"JZ3o+Tq/x9w=", "a/b/c", "quote\"and\\slash", "spaces and: colons # hash", "é"}) {
      var entry = new ClusterSecretFile.Entry(id, SECRET);
      ClusterSecretFile.Entry read = ClusterSecretFile.parse(ClusterSecretFile.render(entry));
      assertThat(read).isEqualTo(entry);
    }
  }

  @Test
  void handWrittenYamlFormsRead() {
    String b64 = SECRET.revealBase64();
    assertThat(ClusterSecretFile.parse("---\n# mine\nclusterId: a/b   # comment\nsecret: '" + b64 + "'\n").clusterId())
        .isEqualTo("a/b");
    assertThat(ClusterSecretFile.parse("secret: " + b64 + "\r\nclusterId: 'it''s'\r\n").clusterId()).isEqualTo("it's");
  }

  @Test
  void errorsNameTheLineAndNeverAValue() {
    String b64 = SECRET.revealBase64();
    assertThatThrownBy(() -> ClusterSecretFile.parse("clusterId: c\n" + b64 + "\n"))
        .hasMessage("line 2 is not 'key: value'");
    assertThatThrownBy(() -> ClusterSecretFile.parse("clusterId: c\n" + b64 + ": x\n"))
        .hasMessage("line 2 has an unknown key (known: clusterId, secret)");
    assertThatThrownBy(() -> ClusterSecretFile.parse("clusterId: c\nsecret: \"" + b64 + "\n"))
        .hasMessage("line 2 (secret): the double-quoted value is not closed or has a bad escape");
    assertThatThrownBy(() -> ClusterSecretFile.parse("clusterId: c\nsecret: " + b64.substring(4) + "\n"))
        .hasMessageContaining("cluster secret").satisfies(e -> assertThat(e.getMessage()).doesNotContain(b64.substring(4)));
    assertThatThrownBy(() -> ClusterSecretFile.parse("secret: " + b64 + "\n")).hasMessage("clusterId is missing or empty");
    assertThatThrownBy(() -> ClusterSecretFile.parse("clusterId: c\n")).hasMessage("secret is missing");
    assertThatThrownBy(() -> ClusterSecretFile.parse("clusterId: c\nclusterId: d\nsecret: " + b64))
        .hasMessage("line 2: clusterId appears twice");
  }

  @Test
  void theEntryNeverPrintsItsSecret() {
    assertThat(new ClusterSecretFile.Entry("c", SECRET).toString()).doesNotContain(SECRET.revealBase64());
  }
}
