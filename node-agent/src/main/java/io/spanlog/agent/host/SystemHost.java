package io.spanlog.agent.host;

import io.spanlog.agent.identity.HardwareAddresses;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** The machine this JVM runs on (or the network namespace it runs in). */
public final class SystemHost implements HostFacts {

  @Override
  public String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      String env = System.getenv("HOSTNAME");
      return env == null || env.isBlank() ? "localhost" : env;
    }
  }

  @Override
  public Optional<byte[]> firstMac(String wireGuardInterface) {
    return HardwareAddresses.first(wireGuardInterface);
  }

  @Override
  public List<InetAddress> addresses(String wireGuardInterface) {
    List<InetAddress> out = new ArrayList<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (nic.getName().equals(wireGuardInterface) || !nic.isUp()) {
          continue;
        }
        out.addAll(Collections.list(nic.getInetAddresses()));
      }
    } catch (SocketException e) {
      return List.of();
    }
    return out;
  }
}
