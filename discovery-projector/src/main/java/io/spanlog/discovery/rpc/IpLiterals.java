package io.spanlog.discovery.rpc;

import io.spanlog.net.IpText;
import java.net.InetAddress;
import java.util.Optional;

/** Client addresses from headers: IP literals only, so a header value never triggers a DNS lookup. */
final class IpLiterals {
  private IpLiterals() {}

  /** The address in {@code text} ({@code 10.0.0.1}, {@code fd00::1} or {@code [fd00::1]}), if it is one. */
  static Optional<InetAddress> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String s = text.strip();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    try {
      return Optional.of(IpText.parse(s));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
