package io.spanlog.agent.wireguard;

/**
 * One WireGuard interface, programmed as a whole.
 *
 * <p>Backends: {@link UserspaceWireGuardDevice} (wireguard-go over its UAPI socket),
 * {@link KernelWireGuardDevice} (kernel module through {@code wg(8)}), and
 * {@link SimulatedWireGuardDevice} (scale runs only).
 */
public interface WireGuardDevice extends AutoCloseable {

  /** The interface name. */
  String name();

  /**
   * Makes the device match {@code config}: keys, port, mark, and exactly the listed peers (others
   * are removed; each peer's allowed IPs are replaced). Peers that did not change keep their
   * sessions.
   */
  void apply(DeviceConfig config);

  /**
   * Edits some peers in one request, without reading the device first (a Watch change of one
   * affiliate). Only for backends where {@link #editsPeers()} is true.
   *
   * @throws UnsupportedOperationException on a backend that programs the device only as a whole
   */
  default void edit(PeerEdits edits) {
    throw new UnsupportedOperationException(name() + ": this backend programs the device only as a whole");
  }

  /** Whether {@link #edit} works here; otherwise every change is a whole-device {@link #apply}. */
  default boolean editsPeers() {
    return false;
  }

  /** The device as it is now: per peer endpoint, latest handshake, RX, TX, allowed IPs. */
  DeviceState read();

  /** Sets MTU and the overlay address and brings the interface up; idempotent. */
  void configureLink(LinkConfig link);

  /**
   * Releases the device. A backend that created the interface removes it; one that attached to
   * an interface someone else created leaves it running.
   */
  @Override
  void close();
}
