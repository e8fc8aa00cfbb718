package io.spanlog.discovery.server;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spanlog.infra.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TlsFilesTest {
  @ParameterizedTest
  @EnumSource(TestPki.KeyFormat.class)
  void acceptsTheKeyFormatsUsersHave(TestPki.KeyFormat format, @TempDir Path dir) {
    TestPki pki = TestPki.create(dir, format);
    assertThatCode(() -> TlsFiles.check(pki.serverCertificate(), pki.serverKey())).doesNotThrowAnyException();
  }

  @Test
  void aMissingFileIsNamedWithItsFlag(@TempDir Path dir) {
    TestPki pki = TestPki.create(dir);
    assertThatThrownBy(() -> TlsFiles.check(dir.resolve("nope.pem"), pki.serverKey()))
        .hasMessage("--certificate-path " + dir.resolve("nope.pem") + ": no such file");
    assertThatThrownBy(() -> TlsFiles.check(pki.serverCertificate(), dir))
        .hasMessage("--key-path " + dir + ": no such file");
  }

  @Test
  void swappedFilesAreRefusedWithoutQuotingTheKey(@TempDir Path dir) throws Exception {
    TestPki pki = TestPki.create(dir);
    String keyLine = Files.readString(pki.serverKey()).lines().skip(1).findFirst().orElseThrow();
    assertThatThrownBy(() -> TlsFiles.check(pki.serverKey(), pki.serverCertificate()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot load them as a PEM certificate chain and private key")
        .hasMessageNotContaining(keyLine);
  }
}
