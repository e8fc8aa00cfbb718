package io.spanlog.agent.wireguard;

import io.spanlog.agent.os.CommandResult;
import io.spanlog.agent.os.CommandRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A device programmed through {@code wg(8)}: the kernel module's interface, or any device {@code wg}
 * can reach (wg also speaks to wireguard-go through its UAPI socket).
 *
 * <p>{@link #apply} runs {@code wg syncconf}, which leaves unchanged peers and their sessions
 * alone and removes peers not in the file; {@link #replace} runs {@code wg setconf}, which
 * re-creates every peer. The config file holds the private and preshared keys, so it is written
 * with mode 0600 in a fresh 0700 folder and deleted right after.
 */
public final class KernelWireGuardDevice implements WireGuardDevice {
  private final String name;
  private final CommandRunner runner;
  private final IpLink link;
  private final boolean created;

  private KernelWireGuardDevice(String name, CommandRunner runner, IpLink link, boolean created) {
    this.name = name;
    this.runner = runner;
    this.link = link;
    this.created = created;
  }

  /** Creates the interface ({@code ip link add type wireguard}) unless it exists. */
  public static KernelWireGuardDevice open(String name, CommandRunner runner) {
    if (!CommandRunner.onPath("wg")) {
      throw new WireGuardException("wg (wireguard-tools) is not installed; the kernel backend needs it");
    }
    IpLink link = new IpLink(runner, name);
    boolean created = false;
    if (!link.exists()) {
      try {
        link.createWireGuard();
      } catch (RuntimeException e) {
        throw new WireGuardException(name + ": cannot create a kernel WireGuard interface (is the wireguard module "
            + "available? use the userspace backend otherwise): " + e.getMessage(), e);
      }
      created = true;
    } else {
      requireWireGuard(name, runner);
    }
    return new KernelWireGuardDevice(name, runner, link, created);
  }

  /**
   * An existing interface of the configured name must be a WireGuard one: setting the MTU and
   * replacing the IPv6 addresses of, say, the host's uplink would cut the host off its network.
   */
  private static void requireWireGuard(String name, CommandRunner runner) {
    if (!runner.run(List.of("wg", "show", name, "public-key")).succeeded()) {
      throw new WireGuardException(name + ": the interface exists in " + runner.where() + " and is not a WireGuard "
          + "interface; it is left alone (set kubespan.interface to a name of its own)");
    }
  }

  /** Uses an interface that exists already (kernel or wireguard-go) and never deletes it. */
  public static KernelWireGuardDevice attach(String name, CommandRunner runner) {
    IpLink link = new IpLink(runner, name);
    if (!link.exists()) {
      throw new WireGuardException(name + ": no such interface in " + runner.where());
    }
    requireWireGuard(name, runner);
    return new KernelWireGuardDevice(name, runner, link, false);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void apply(DeviceConfig config) {
    withConfigFile(config, "syncconf");
  }

  public void replace(DeviceConfig config) {
    withConfigFile(config, "setconf");
  }

  @Override
  public DeviceState read() {
    CommandResult result = runner.run(List.of("wg", "show", name, "dump"));
    if (!result.succeeded()) {
      throw new WireGuardException(name + ": wg show dump failed: " + result.stderr().strip());
    }
    return WgTool.parseDump(name, result.stdout()).state();
  }

  @Override
  public void configureLink(LinkConfig config) {
    link.configure(config);
  }

  @Override
  public void close() {
    if (created) {
      link.delete();
    }
  }

  private void withConfigFile(DeviceConfig config, String verb) {
    Path dir = null;
    Path file = null;
    try {
      dir = Files.createTempDirectory("spanlog-wg-", PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rwx------")));
      file = Files.createFile(dir.resolve(name + ".conf"), PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, WgTool.renderConfig(config), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
      CommandResult result = runner.run(List.of("wg", verb, name, file.toString()));
      if (!result.succeeded()) {
        throw new WireGuardException(name + ": wg " + verb + " failed (exit " + result.exitCode() + "): "
            + Redaction.scrub(result.stderr().strip(), config));
      }
    } catch (IOException e) {
      throw new WireGuardException(name + ": cannot write the private config file: " + e.getMessage(), e);
    } finally {
      deleteQuietly(file);
      deleteQuietly(dir);
    }
  }

  private static void deleteQuietly(Path path) {
    if (path != null) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException ignored) {
        // A 0600 file in a 0700 folder of the temp dir; nothing else can read it.
      }
    }
  }
}
