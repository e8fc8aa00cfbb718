package io.spanlog.agent.netns;

import io.spanlog.agent.os.CommandResult;
import io.spanlog.agent.os.CommandRunner;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * N nodes on one machine, each a Linux network namespace with two underlay links on two bridges
 * in the root namespace ({@code 10.<net>.1.0/24} and {@code 10.<net>.2.0/24}; node i is
 * {@code .i}, the root namespace {@code .254}). Services in the root namespace are reachable from
 * every node at {@link #serviceAddress()} over either link, so a cut link does not cut a node off
 * from Kafka or discovery. No route leads anywhere else: traffic stays between these namespaces.
 *
 * <p><b>wireguard-go's socket folder.</b> wireguard-go always puts its UAPI socket at
 * {@code /var/run/wireguard/<iface>.sock}, and network namespaces do not separate that folder.
 * {@link #isolatedCommand} therefore runs a process inside the node's network namespace
 * <em>and</em> a private mount namespace with its own tmpfs on {@code /run/wireguard}; the
 * process and every child (the agent's wireguard-go) see only the node's sockets, so all nodes
 * can use the interface name {@code kubespan}. A controller outside (a test) reaches such a
 * socket through {@code /proc/<wireguard-go pid>/root/run/wireguard}. Processes started with
 * plain {@link #command} share the host's folder and need distinct interface names.
 *
 * <p>Every link and namespace name starts with the lab's prefix; {@link #create} first removes
 * leftovers of a crashed run with the same prefix, and {@link #close} removes everything,
 * stopping processes still running inside the namespaces.
 */
public final class NetnsLab implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NetnsLab.class);
  public static final int LINKS = 2;

  private final String prefix;
  private final int net;
  private final List<LabNode> nodes;
  private final CommandRunner root = CommandRunner.local();
  private volatile boolean closed;

  private NetnsLab(String prefix, int net, List<LabNode> nodes) {
    this.prefix = prefix;
    this.net = net;
    this.nodes = List.copyOf(nodes);
  }

  /** Why a lab cannot be built here, or empty when it can. */
  public static Optional<String> unavailableReason() {
    if (!isRoot()) {
      return Optional.of("network namespaces need root (run as root or via sudo)");
    }
    for (String tool : List.of("ip", "unshare", "wireguard-go", "wg")) {
      if (!CommandRunner.onPath(tool)) {
        return Optional.of(tool + " is not installed (apt-get install -y wireguard-go wireguard-tools iproute2 "
            + "util-linux iputils-ping)");
      }
    }
    if (!Files.exists(Path.of("/dev/net/tun"))) {
      return Optional.of("/dev/net/tun is missing: wireguard-go cannot create its interface");
    }
    String probe = "spanlog-probe-" + ProcessHandle.current().pid();
    CommandResult added = CommandRunner.local().run(List.of("ip", "netns", "add", probe));
    CommandRunner.local().run(List.of("ip", "netns", "del", probe));
    if (!added.succeeded()) {
      return Optional.of("cannot create a network namespace: " + added.stderr().strip());
    }
    return Optional.empty();
  }

  /** A lab on 10.91.1.0/24 and 10.91.2.0/24. */
  public static NetnsLab create(String prefix, int nodeCount) {
    return create(prefix, nodeCount, 91);
  }

  /**
   * @param prefix 1..7 lowercase letters/digits, starting with a letter; names every link and
   *     namespace, so two labs with different prefixes (and nets) can coexist
   * @param net the second octet of the underlay subnets
   */
  public static NetnsLab create(String prefix, int nodeCount, int net) {
    if (!prefix.matches("[a-z][a-z0-9]{0,6}")) {
      throw new IllegalArgumentException("lab prefix '" + prefix + "' must be 1-7 lowercase letters/digits");
    }
    if (nodeCount < 1 || nodeCount > 99) {
      throw new IllegalArgumentException("a lab has 1..99 nodes, not " + nodeCount);
    }
    if (net < 0 || net > 255) {
      throw new IllegalArgumentException("net must be 0..255");
    }
    removeLeftovers(prefix);
    List<LabNode> nodes = new ArrayList<>();
    for (int i = 1; i <= nodeCount; i++) {
      List<Inet4Address> underlay = List.of(ipv4(10, net, 1, i), ipv4(10, net, 2, i));
      List<String> macs = List.of(mac(net, i, 1), mac(net, i, 2));
      nodes.add(new LabNode(i, prefix + "-n" + i, underlay, macs));
    }
    NetnsLab lab = new NetnsLab(prefix, net, nodes);
    try {
      lab.build();
      return lab;
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  private void build() {
    for (int link = 1; link <= LINKS; link++) {
      String bridge = bridge(link);
      root.check("ip", "link", "add", "dev", bridge, "type", "bridge");
      root.check("ip", "addr", "add", rootAddress(link).getHostAddress() + "/24", "dev", bridge);
      root.check("ip", "link", "set", "dev", bridge, "up");
    }
    // The service address sits on bridge 1; the root namespace accepts it from either bridge
    // (Linux's weak host model), and it disappears with the bridge.
    root.check("ip", "addr", "add", serviceAddress().getHostAddress() + "/32", "dev", bridge(1));
    for (LabNode node : nodes) {
      String ns = node.namespace();
      root.check("ip", "netns", "add", ns);
      root.check("ip", "-n", ns, "link", "set", "dev", "lo", "up");
      // A cut link (no carrier) must not keep attracting traffic, so the route over the other
      // link to the root namespace's services takes over.
      root.check("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv4.conf.all.ignore_routes_with_linkdown=1");
      for (int link = 1; link <= LINKS; link++) {
        String outside = rootPort(node, link);
        String inside = prefix + "n" + node.index() + "p" + link;
        root.check("ip", "link", "add", "dev", outside, "type", "veth", "peer", "name", inside);
        root.check("ip", "link", "set", "dev", inside, "netns", ns);
        root.check("ip", "-n", ns, "link", "set", "dev", inside, "name", LabNode.linkName(link));
        root.check("ip", "-n", ns, "link", "set", "dev", LabNode.linkName(link), "address", node.macs().get(link - 1));
        root.check("ip", "-n", ns, "addr", "add", node.underlay(link).getHostAddress() + "/24",
            "dev", LabNode.linkName(link));
        root.check("ip", "-n", ns, "link", "set", "dev", LabNode.linkName(link), "up");
        root.check("ip", "link", "set", "dev", outside, "master", bridge(link));
        root.check("ip", "link", "set", "dev", outside, "up");
        root.check("ip", "-n", ns, "route", "add", serviceAddress().getHostAddress() + "/32",
            "via", rootAddress(link).getHostAddress(), "dev", LabNode.linkName(link), "metric", Integer.toString(100 + link));
      }
    }
    LOG.info("netns lab {}: {} nodes on 10.{}.1.0/24 and 10.{}.2.0/24", prefix, nodes.size(), net, net);
  }

  public String prefix() {
    return prefix;
  }

  public List<LabNode> nodes() {
    return nodes;
  }

  /** 1-based. */
  public LabNode node(int index) {
    return nodes.get(index - 1);
  }

  /** The root namespace's address on underlay link 1 or 2. */
  public Inet4Address rootAddress(int link) {
    return ipv4(10, net, checkLink(link), 254);
  }

  /** An address of the root namespace that nodes reach over whichever link works. */
  public Inet4Address serviceAddress() {
    return ipv4(10, net, 0, 1);
  }

  /** Takes the node's underlay link down, as a pulled cable would: the node sees no carrier. */
  public void cut(LabNode node, int link) {
    root.check("ip", "link", "set", "dev", rootPort(node, link), "down");
  }

  /** Brings the link back and waits until the node sees carrier on it again. */
  public void restore(LabNode node, int link) {
    root.check("ip", "link", "set", "dev", rootPort(node, link), "up");
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline) {
      String state = root.run(List.of("ip", "-n", node.namespace(), "-o", "link", "show", "dev",
          LabNode.linkName(link))).stdout();
      if (state.contains("LOWER_UP") && !state.contains("NO-CARRIER")) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new IllegalStateException(node.namespace() + ": " + LabNode.linkName(link) + " has no carrier 5 s after restore");
  }

  /**
   * Puts {@code node} behind a NAT: its underlay links are removed and its only link, {@code
   * nat0} ({@code 192.168.<net>.2/24}), leads to a router namespace ({@code <prefix>-nrt}) whose
   * outside leg is {@code 10.<net>.1.200} on bridge 1. The router masquerades everything the node
   * sends ({@code nft}), its WireGuard port {@code listenPort} as {@code mappedPort} on the outside
   * address, and forwards to the node only that mapped UDP port: the node is reachable from the
   * others through the mapping alone, as behind a home router with one port forwarded. Needs
   * {@code nft} ({@link #natUnavailableReason}). Returns the mapped endpoint's address.
   */
  public Inet4Address natBehindRouter(LabNode node, int listenPort, int mappedPort) {
    String ns = node.namespace();
    String router = prefix + "-nrt";
    Inet4Address outside = ipv4(10, net, 1, 200);
    String inside = "192.168." + net + ".2";
    String gateway = "192.168." + net + ".1";
    for (int link = 1; link <= LINKS; link++) {
      root.check("ip", "-n", ns, "link", "del", "dev", LabNode.linkName(link)); // removes the root end too
    }
    root.check("ip", "netns", "add", router);
    root.check("ip", "-n", router, "link", "set", "dev", "lo", "up");
    root.check("ip", "netns", "exec", router, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
    // outside leg on bridge 1 (root port named like a node's, so removeLeftovers finds it)
    String wanRoot = prefix + "n99l1";
    root.check("ip", "link", "add", "dev", wanRoot, "type", "veth", "peer", "name", prefix + "rtw");
    root.check("ip", "link", "set", "dev", prefix + "rtw", "netns", router);
    root.check("ip", "-n", router, "link", "set", "dev", prefix + "rtw", "name", "wan");
    root.check("ip", "-n", router, "addr", "add", outside.getHostAddress() + "/24", "dev", "wan");
    root.check("ip", "-n", router, "link", "set", "dev", "wan", "up");
    root.check("ip", "link", "set", "dev", wanRoot, "master", bridge(1));
    root.check("ip", "link", "set", "dev", wanRoot, "up");
    root.check("ip", "-n", router, "route", "add", serviceAddress().getHostAddress() + "/32",
        "via", rootAddress(1).getHostAddress(), "dev", "wan");
    // inside leg: router lan <-> node nat0, both ends moved out of the root namespace
    root.check("ip", "link", "add", "dev", prefix + "rtl", "type", "veth", "peer", "name", prefix + "rtn");
    root.check("ip", "link", "set", "dev", prefix + "rtl", "netns", router);
    root.check("ip", "link", "set", "dev", prefix + "rtn", "netns", ns);
    root.check("ip", "-n", router, "link", "set", "dev", prefix + "rtl", "name", "lan");
    root.check("ip", "-n", router, "addr", "add", gateway + "/24", "dev", "lan");
    root.check("ip", "-n", router, "link", "set", "dev", "lan", "up");
    root.check("ip", "-n", ns, "link", "set", "dev", prefix + "rtn", "name", "nat0");
    root.check("ip", "-n", ns, "link", "set", "dev", "nat0", "address", node.macs().get(0));
    root.check("ip", "-n", ns, "addr", "add", inside + "/24", "dev", "nat0");
    root.check("ip", "-n", ns, "link", "set", "dev", "nat0", "up");
    root.check("ip", "-n", ns, "route", "add", "default", "via", gateway, "dev", "nat0");
    String rules = String.join("\n",
        "table ip spanlog_nat {",
        "  chain prerouting {",
        "    type nat hook prerouting priority dstnat;",
        "    iifname \"wan\" udp dport " + mappedPort + " dnat to " + inside + ":" + listenPort,
        "  }",
        "  chain postrouting {",
        "    type nat hook postrouting priority srcnat;",
        "    oifname \"wan\" ip saddr " + inside + " udp sport " + listenPort + " snat to "
            + outside.getHostAddress() + ":" + mappedPort,
        "    oifname \"wan\" masquerade",
        "  }",
        "}", "");
    CommandResult loaded;
    try {
      Path file = Files.createTempFile("spanlog-nat-", ".nft");
      try {
        Files.writeString(file, rules);
        loaded = CommandRunner.inNetns(router).run(List.of("nft", "-f", file.toString()));
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the NAT rules: " + e.getMessage(), e);
    }
    if (!loaded.succeeded()) {
      throw new IllegalStateException("nft could not load the NAT rules in " + router + ": " + loaded.stderr().strip());
    }
    LOG.info("netns lab {}: {} behind NAT {} (udp {} -> {}:{})", prefix, ns, outside.getHostAddress(), mappedPort,
        inside, listenPort);
    return outside;
  }

  /** Why {@link #natBehindRouter} cannot run here, or empty when it can. */
  public static Optional<String> natUnavailableReason() {
    return CommandRunner.onPath("nft") ? Optional.empty()
        : Optional.of("nft is not installed (apt-get install -y nftables): the NAT router needs it");
  }

  /** Runs a command inside the node's network namespace (sharing the host's mounts). */
  public CommandResult exec(LabNode node, String... args) {
    return runner(node).run(List.of(args));
  }

  public CommandRunner runner(LabNode node) {
    return CommandRunner.inNetns(node.namespace());
  }

  /** The command line that runs {@code args} inside the node's network namespace. */
  public List<String> command(LabNode node, List<String> args) {
    return runner(node).commandLine(args);
  }

  /**
   * The command line that runs {@code args} inside the node's network namespace with a private
   * {@code /run/wireguard} (own mount namespace, tmpfs), for an agent and its wireguard-go.
   */
  public List<String> isolatedCommand(LabNode node, List<String> args) {
    List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", node.namespace(),
        "unshare", "--mount", "--propagation", "private", "--",
        "sh", "-c", "mkdir -p /run/wireguard && mount -t tmpfs -o mode=0700,size=1m spanlog-wg /run/wireguard"
            + " && exec \"$@\"",
        "spanlog-node"));
    line.addAll(args);
    return line;
  }

  /** A JVM running {@code mainClass} with this JVM's class path, isolated inside the node. */
  public ProcessBuilder javaProcess(LabNode node, String mainClass, List<String> args) {
    List<String> java = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), mainClass));
    java.addAll(args);
    return new ProcessBuilder(isolatedCommand(node, java));
  }

  /** Process ids running inside the node's namespace (the agent, its wireguard-go, ...). */
  public List<Long> pids(LabNode node) {
    return pids(node.namespace());
  }

  /** Removes namespaces and links; stops processes still inside the namespaces. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    removeLeftovers(prefix);
  }

  /**
   * Removes every namespace named {@code <prefix>-*} and every root link named {@code <prefix>*}
   * of the lab's shape, stopping (by pid) the processes inside those namespaces first.
   */
  public static void removeLeftovers(String prefix) {
    CommandRunner root = CommandRunner.local();
    CommandResult list = root.run(List.of("ip", "netns", "list"));
    for (String line : list.stdout().split("\n")) {
      String ns = line.trim().split("\\s+")[0];
      if (ns.startsWith(prefix + "-n")) {
        for (long pid : pids(ns)) {
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
        waitForExit(pids(ns));
        for (long pid : pids(ns)) {
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        root.run(List.of("ip", "netns", "del", ns));
      }
    }
    CommandResult links = root.run(List.of("ip", "-o", "link", "show"));
    for (String line : links.stdout().split("\n")) {
      String[] fields = line.split(":\\s+");
      if (fields.length < 2) {
        continue;
      }
      String name = fields[1].split("@")[0].trim();
      if (name.matches(java.util.regex.Pattern.quote(prefix) + "(b[12]|n[0-9]+l[12]|rt[wln])")) {
        root.run(List.of("ip", "link", "del", "dev", name));
      }
    }
  }

  private static List<Long> pids(String namespace) {
    CommandResult result = CommandRunner.local().run(List.of("ip", "netns", "pids", namespace));
    List<Long> out = new ArrayList<>();
    for (String line : result.stdout().split("\n")) {
      if (!line.isBlank()) {
        out.add(Long.parseLong(line.trim()));
      }
    }
    return out;
  }

  private static void waitForExit(List<Long> pids) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    for (long pid : pids) {
      Optional<ProcessHandle> handle = ProcessHandle.of(pid);
      while (handle.isPresent() && handle.get().isAlive() && System.nanoTime() < deadline) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private String bridge(int link) {
    return prefix + "b" + link;
  }

  private String rootPort(LabNode node, int link) {
    return prefix + "n" + node.index() + "l" + checkLink(link);
  }

  static int checkLink(int link) {
    if (link < 1 || link > LINKS) {
      throw new IllegalArgumentException("underlay link is 1 or 2, not " + link);
    }
    return link;
  }

  private static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[1].equals("0");
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  private static Inet4Address ipv4(int a, int b, int c, int d) {
    try {
      return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String mac(int net, int node, int link) {
    return String.format("02:5b:%02x:00:%02x:%02x", net, node, link);
  }
}
