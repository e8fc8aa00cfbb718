package io.spanlog.infra.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports free on 127.0.0.1 right now, for brokers and servers started by tests. */
public final class FreePorts {
  private FreePorts() {}

  public static int next() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  /** Two different free ports (client and controller of a broker). */
  public static int[] pair() {
    int a = next();
    int b = next();
    while (b == a) {
      b = next();
    }
    return new int[] {a, b};
  }
}
