package io.spanlog.net;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A host (name or IP literal, IPv6 without its brackets) and a TCP port, as typed in a flag or a
 * config file: {@code node-1:51890}, {@code 10.0.0.1:3000}, {@code [fd00::1]:3000}. The one parser
 * of that text for every Spanlog program; nothing here resolves a name.
 *
 * <p>Every error is one sentence that starts with the flag or field it came from.
 */
public record HostPort(String host, int port) {
  /** Where {@code :port} listens: every IPv4 interface, as the reference service's flags mean it. */
  public static final String ALL_INTERFACES = "0.0.0.0";

  private static final Pattern NAME_OR_V4 = Pattern.compile("[A-Za-z0-9_.-]+");
  private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?");
  private static final Pattern DIGITS = Pattern.compile("\\d{1,5}");

  public HostPort {
    Objects.requireNonNull(host, "host");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("no host");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 0..65535");
    }
  }

  /**
   * An address to connect to: {@code host:port} or {@code [v6]:port}, port 1..65535.
   *
   * @param field the flag or config field the text came from, first word of every error
   */
  public static HostPort parse(String text, String field) {
    String s = Objects.requireNonNull(text, "text").strip();
    int colon = portColon(s);
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException(field + " must be host:port, not '" + text + "'");
    }
    return new HostPort(host(s.substring(0, colon), s, field), port(s.substring(colon + 1), 1, s, field));
  }

  /** As {@link #parse(String, String)}, the port optional: {@code host} alone means {@code host:defaultPort}. */
  public static HostPort parse(String text, int defaultPort, String field) {
    String s = Objects.requireNonNull(text, "text").strip();
    int colon = portColon(s);
    if (colon < 0) {
      return new HostPort(host(s, s, field), defaultPort);
    }
    if (colon == 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException(field + " must be host or host:port, not '" + text + "'");
    }
    return new HostPort(host(s.substring(0, colon), s, field), port(s.substring(colon + 1), 1, s, field));
  }

  /**
   * An address to listen on: {@code [host]:port}. No host ({@code :3000}, or just {@code 3000})
   * means {@link #ALL_INTERFACES}; port 0 asks for any free port.
   */
  public static HostPort parseListen(String text, String field) {
    String s = Objects.requireNonNull(text, "text").strip();
    int colon = portColon(s);
    if (colon == s.length() - 1 || s.isEmpty()) {
      throw new IllegalArgumentException(field + " must be [host]:port or :port, not '" + text + "'");
    }
    String host = colon <= 0 ? ALL_INTERFACES : host(s.substring(0, colon), s, field);
    return new HostPort(host, port(colon < 0 ? s : s.substring(colon + 1), 0, s, field));
  }

  /** {@code host:port}, an IPv6 host in brackets: text that {@link #parse} reads back. */
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** The colon before the port: the last one, unless it sits inside an unclosed bracket pair. */
  private static int portColon(String s) {
    int colon = s.lastIndexOf(':');
    int close = s.lastIndexOf(']');
    return s.startsWith("[") && colon < close ? -1 : colon;
  }

  private static String host(String host, String text, String field) {
    if (host.startsWith("[") && host.endsWith("]")) {
      String inner = host.substring(1, host.length() - 1);
      if (V6.matcher(inner).matches()) {
        return inner;
      }
      throw new IllegalArgumentException(field + " '" + text + "': " + host + " is not an IPv6 address");
    }
    if (host.indexOf(':') >= 0 && V6.matcher(host).matches()) {
      throw new IllegalArgumentException(field + " '" + text + "': put an IPv6 address in brackets, e.g. ["
          + host + "]" + text.substring(host.length()));
    }
    if (!NAME_OR_V4.matcher(host).matches()) {
      throw new IllegalArgumentException(field + " '" + text + "': '" + host + "' is not a host name or IP address");
    }
    return host;
  }

  private static int port(String digits, int min, String text, String field) {
    int port = DIGITS.matcher(digits).matches() ? Integer.parseInt(digits) : -1;
    if (port < min || port > 65535) {
      throw new IllegalArgumentException(field + " '" + text + "': the port must be " + min + "..65535");
    }
    return port;
  }
}
