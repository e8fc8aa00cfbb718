package io.spanlog.agent.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The UAPI request of a peer edit: only the edited peers, only their changed fields, no device keys. */
class PeerEditsTest {
  private final WireGuardSecret psk = WireGuardSecret.generatePresharedKey();

  private PeerConfig peer(String ip) throws Exception {
    InetAddress a = InetAddress.getByName(ip);
    return PeerConfig.of(WireGuardSecret.generatePrivateKey().publicKey(), psk, Optional.of(new InetSocketAddress(a, 51820)),
        List.of(new AllowedIp(a, 32)));
  }

  @Test
  void anEndpointChangeWritesThatPeersEndpointAndNothingElse() throws Exception {
    PeerConfig before = peer("10.0.0.1");
    PeerConfig after = before.withEndpoint(new InetSocketAddress(InetAddress.getByName("10.0.0.9"), 4000));
    String request = UapiProtocol.editRequest(new PeerEdits(List.of(), List.of(), List.of(new PeerEdits.Change(before, after))));
    assertThat(request).isEqualTo("set=1\npublic_key=" + before.publicKey().hex() + "\nupdate_only=true\n"
        + "endpoint=10.0.0.9:4000\n\n");
  }

  @Test
  void aJoinAndALeaveAreOneRequestWithoutDeviceKeys() throws Exception {
    PeerConfig joined = peer("10.0.0.2");
    WireGuardKey left = WireGuardSecret.generatePrivateKey().publicKey();
    String request = UapiProtocol.editRequest(new PeerEdits(List.of(left), List.of(joined), List.of()));
    assertThat(request).startsWith("set=1\npublic_key=" + left.hex() + "\nremove=true\npublic_key=" + joined.publicKey().hex())
        .contains("allowed_ip=10.0.0.2/32").doesNotContain("private_key", "listen_port", "replace_peers", "fwmark");
    assertThat(request.lines().filter(l -> l.startsWith("public_key=")).count()).isEqualTo(2);
  }

  @Test
  void anUnchangedPeerIsNoEdit() throws Exception {
    PeerConfig same = peer("10.0.0.3");
    var edits = new PeerEdits(List.of(), List.of(), List.of(new PeerEdits.Change(same, same)));
    assertThat(edits.isEmpty()).isTrue();
  }
}
