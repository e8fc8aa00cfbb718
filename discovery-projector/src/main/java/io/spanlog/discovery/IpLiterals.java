package io.spanlog.discovery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Parses IP address literals only: a header value must never trigger a DNS lookup. */
final class IpLiterals {
  private static final Pattern V4 =
      Pattern.compile("^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");
  private static final Pattern V6 = Pattern.compile("^\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*]?$");

  private IpLiterals() {}

  static Optional<InetAddress> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String s = text.trim();
    if (s.isEmpty() || s.length() > 47 || !(V4.matcher(s).matches() || V6.matcher(s).matches())) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(s));
    } catch (UnknownHostException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
