package io.spanlog.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spanlog.identity.KubeSpanAddressing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityStoreTest {
  private static final String CLUSTER = "8XuV9TZHW08DOk3bVxQjH9ih_TBKjnh-j44tsCLSBzo=";
  private static final byte[] MAC = KubeSpanAddressing.parseMac("2e:1a:b6:53:81:69");

  @TempDir Path dir;

  @Test
  void createsTheIdentityWithMode0600AndReusesItAfterRestart() throws Exception {
    Path state = dir.resolve("state/spanlog");
    var first = new IdentityStore(state, new SecureRandom()).loadOrCreate(CLUSTER, MAC);
    assertThat(first.address().toString()).isEqualTo("fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169/128");
    assertThat(first.subnet().toString()).isEqualTo("fd7f:175a:b97c:5602::/64");
    Path file = state.resolve(IdentityStore.IDENTITY_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
    assertThat(Files.readString(file))
        .contains("address: fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169/128")
        .contains("subnet: fd7f:175a:b97c:5602::/64")
        .contains("publicKey: " + first.publicKey())
        .contains("privateKey: " + first.privateKey().revealBase64());
    long modified = Files.getLastModifiedTime(file).toMillis();

    assertThat(first.toString()).doesNotContain(first.privateKey().revealBase64());

    var again = new IdentityStore(state, new SecureRandom()).loadOrCreate(CLUSTER, MAC);
    assertThat(again).isEqualTo(first);
    assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(modified);
  }

  @Test
  void keepsTheKeysWhenTheAddressMustBeDerivedAgain() {
    var store = new IdentityStore(dir, new SecureRandom());
    var first = store.loadOrCreate(CLUSTER, MAC);
    var moved = store.loadOrCreate(CLUSTER, new byte[] {2, 0, 0, 0, 0, 1});
    assertThat(moved.privateKey()).isEqualTo(first.privateKey());
    assertThat(moved.address()).isNotEqualTo(first.address());
    assertThat(store.loadOrCreate(CLUSTER, new byte[] {2, 0, 0, 0, 0, 1})).isEqualTo(moved);
  }

  @Test
  void aCorruptFileIsAClearErrorThatDoesNotQuoteTheKey() throws Exception {
    var store = new IdentityStore(dir, new SecureRandom());
    var identity = store.loadOrCreate(CLUSTER, MAC);
    Path file = dir.resolve(IdentityStore.IDENTITY_FILE);
    String text = Files.readString(file);
    Files.writeString(file, text.replace("publicKey: " + identity.publicKey(), "publicKey: AAAA"));
    assertThatThrownBy(() -> store.loadOrCreate(CLUSTER, MAC))
        .isInstanceOf(IdentityException.class)
        .hasMessageContaining("field publicKey")
        .hasMessageNotContaining(identity.privateKey().revealBase64());
    String shortKey = java.util.Base64.getEncoder().encodeToString(new byte[31]);
    Files.writeString(file, text.replace(identity.privateKey().revealBase64(), shortKey));
    assertThatThrownBy(() -> store.loadOrCreate(CLUSTER, MAC))
        .hasMessageContaining("field privateKey").hasMessageContaining("32 bytes")
        .hasMessageNotContaining(shortKey);
    Files.writeString(file, "privateKey: [" + identity.privateKey().revealBase64());
    assertThatThrownBy(() -> store.loadOrCreate(CLUSTER, MAC))
        .hasMessageContaining("not valid YAML")
        .hasMessageNotContaining(identity.privateKey().revealBase64());
  }

  @Test
  void theNodeIdIsGeneratedOnceWithMode0600() throws Exception {
    var store = new IdentityStore(dir, new SecureRandom());
    String id = store.loadOrCreateNodeId();
    assertThat(id).hasSize(43);
    assertThat(new IdentityStore(dir, new SecureRandom()).loadOrCreateNodeId()).isEqualTo(id);
    Path file = dir.resolve(IdentityStore.NODE_ID_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    Files.writeString(file, "../../etc/passwd");
    assertThatThrownBy(store::loadOrCreateNodeId).hasMessageContaining("base62");
  }
}
