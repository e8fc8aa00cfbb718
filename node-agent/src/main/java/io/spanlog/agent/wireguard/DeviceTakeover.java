package io.spanlog.agent.wireguard;

/**
 * Whether the agent may program a device it opened: an interface of the configured name may
 * already exist (an agent restart finds its own wireguard-go still running; an operator may have
 * set up a tunnel of their own under that name). Programming replaces the key and removes every
 * peer that is not in the mesh, so the agent takes over only a device that is empty (no key, no
 * peers) or already carries this node's public key; any other is someone else's tunnel. Pure.
 */
public final class DeviceTakeover {
  private DeviceTakeover() {}

  /**
   * @param read the device as it was found, before anything is applied
   * @throws WireGuardException with a sentence naming the device when it belongs to someone else
   */
  public static void require(String name, DeviceState read, WireGuardKey own) {
    if (read.publicKey().isPresent()) {
      if (!read.publicKey().get().equals(own)) {
        throw new WireGuardException("interface " + name + " already runs WireGuard with another key (public key "
            + read.publicKey().get() + "); refusing to take it over: remove it or choose another interface");
      }
      return;
    }
    if (!read.peers().isEmpty()) {
      throw new WireGuardException("interface " + name + " already runs WireGuard with " + read.peers().size()
          + " peers and no key of its own; refusing to take it over: remove it or choose another interface");
    }
  }
}
