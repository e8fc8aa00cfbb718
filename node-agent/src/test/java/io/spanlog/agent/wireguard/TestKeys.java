package io.spanlog.agent.wireguard;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Fixtures for the wireguard tests. */
final class TestKeys {
  /** A pair made by {@code wg genkey | wg pubkey}. */
  static final String WG_PRIVATE = "6NqcBMxc+/rXk0XCe5xJNhMFiOeeR8jsQfsoDQPLX0A=";
  static final String WG_PUBLIC = "cg2VeFyR+HgtTyH6bmPvSkyKaThxRgh4xUISbNdDrTA=";
  /** Made by {@code wg genpsk}. */
  static final String WG_PSK = "ULBZtEWxzZPpal8wd4Xm53SOrD6/nVahYCdQ9MtuTB8=";

  private TestKeys() {}

  static InetSocketAddress endpoint(String ip, int port) {
    try {
      return new InetSocketAddress(InetAddress.getByName(ip), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
