package io.spanlog.agent.wireguard;

import io.spanlog.net.Endpoint;
import io.spanlog.net.IpText;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * IP and endpoint text as WireGuard's UAPI, {@code wg} and {@code ip} write it, in the JDK types
 * the device code uses. The parsing itself is event-model's (never a DNS lookup).
 */
final class DeviceAddressText {
  private DeviceAddressText() {}

  static InetAddress parseAddress(String text) {
    return IpText.parse(text.strip());
  }

  /** {@code 10.0.0.1:51820} or {@code [fd00::1]:51820}. */
  static InetSocketAddress parseEndpoint(String text) {
    Endpoint endpoint = Endpoint.parse(text.strip());
    return new InetSocketAddress(endpoint.ip(), endpoint.port());
  }

  /** IPv6 in the RFC 5952 short form ({@code fd00::1}), as ip and wg print it. */
  static String formatAddress(InetAddress address) {
    return IpText.format(address);
  }

  static String formatEndpoint(InetSocketAddress endpoint) {
    return new Endpoint(endpoint.getAddress(), endpoint.getPort()).toString();
  }
}
