package io.spanlog.agent.wireguard;

/** Removes a config's secrets from text a tool printed (wg quotes bad keys in its errors). */
final class Redaction {
  private Redaction() {}

  static String scrub(String text, DeviceConfig config) {
    String out = hide(text, config.privateKey());
    for (PeerConfig peer : config.peers()) {
      if (peer.presharedKey().isPresent()) {
        out = hide(out, peer.presharedKey().get());
      }
    }
    return out;
  }

  private static String hide(String text, WireGuardSecret secret) {
    return text.replace(secret.revealBase64(), "(secret)").replace(secret.revealHex(), "(secret)");
  }
}
