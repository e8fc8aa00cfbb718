package io.spanlog.agent.wireguard;

import io.spanlog.agent.os.CommandResult;
import io.spanlog.agent.os.CommandRunner;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The interface around a WireGuard device, through iproute2: existence, MTU, address, up/down. */
public final class IpLink {
  private static final Logger LOG = LoggerFactory.getLogger(IpLink.class);

  private final CommandRunner runner;
  private final String name;

  public IpLink(CommandRunner runner, String name) {
    this.runner = Objects.requireNonNull(runner, "runner");
    this.name = InterfaceNames.require(name);
  }

  public String name() {
    return name;
  }

  public boolean exists() {
    return runner.run(List.of("ip", "link", "show", "dev", name)).succeeded();
  }

  /** For the kernel module only; wireguard-go creates its own tun device. */
  public void createWireGuard() {
    if (!exists()) {
      runner.check("ip", "link", "add", "dev", name, "type", "wireguard");
    }
  }

  /**
   * Sets the MTU, makes the overlay address the only global IPv6 address on the interface, and
   * brings it up. Running it twice changes nothing.
   */
  public void configure(LinkConfig link) {
    runner.check("ip", "link", "set", "dev", name, "mtu", Integer.toString(link.mtu()));
    List<String> present = globalIpv6Addresses();
    String wanted = link.address().map(a -> DeviceAddressText.formatAddress(a) + "/" + link.prefixLength()).orElse(null);
    for (String address : present) {
      if (!address.equals(wanted)) {
        LOG.info("{}: removing address {} that is not the node's overlay address", name, address);
        runner.check("ip", "-6", "addr", "del", address, "dev", name);
      }
    }
    if (wanted != null && !present.contains(wanted)) {
      // nodad: WireGuard is point-to-point, and a tentative address would delay the first packets.
      runner.check("ip", "-6", "addr", "replace", wanted, "dev", name, "nodad");
    }
    runner.check("ip", "link", "set", "dev", name, "up");
  }

  public void setUp(boolean up) {
    runner.check("ip", "link", "set", "dev", name, up ? "up" : "down");
  }

  /** Removes the interface; absent already is fine. */
  public void delete() {
    if (exists()) {
      CommandResult result = runner.run(List.of("ip", "link", "del", "dev", name));
      if (!result.succeeded() && exists()) {
        throw new WireGuardException(name + ": cannot delete the interface: " + result.stderr().strip());
      }
    }
  }

  /** {@code addr/len} strings as {@code ip} prints them, e.g. {@code fd00::1/64}. */
  public List<String> globalIpv6Addresses() {
    CommandResult result = runner.check("ip", "-o", "-6", "addr", "show", "dev", name, "scope", "global");
    return parseAddresses(result.stdout());
  }

  static List<String> parseAddresses(String ipOutput) {
    List<String> out = new ArrayList<>();
    for (String line : ipOutput.split("\n")) {
      String[] words = line.trim().split("\\s+");
      for (int i = 0; i + 1 < words.length; i++) {
        if (words[i].equals("inet6")) {
          String[] parts = words[i + 1].split("/");
          String address = DeviceAddressText.formatAddress(DeviceAddressText.parseAddress(parts[0]));
          out.add(parts.length > 1 ? address + "/" + parts[1] : address);
        }
      }
    }
    return out;
  }

  static String format(Inet6Address address, int prefixLength) {
    return DeviceAddressText.formatAddress(address) + "/" + prefixLength;
  }
}
