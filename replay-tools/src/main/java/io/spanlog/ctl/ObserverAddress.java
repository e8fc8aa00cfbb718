package io.spanlog.ctl;

import io.spanlog.net.HostPort;

/** Where an endpoint observer's read API answers ({@code --observer host:port}). */
public record ObserverAddress(String host, int port) {
  /** The observer's default read API address (loopback, as {@code spanlog observer} listens). */
  public static final ObserverAddress DEFAULT = new ObserverAddress("127.0.0.1", 7171);

  /** @throws IllegalArgumentException with a sentence naming {@code --observer} */
  public static ObserverAddress parse(String typed) {
    HostPort a = HostPort.parse(typed, "--observer");
    return new ObserverAddress(a.host(), a.port());
  }

  @Override
  public String toString() {
    return new HostPort(host, port).toString();
  }
}
