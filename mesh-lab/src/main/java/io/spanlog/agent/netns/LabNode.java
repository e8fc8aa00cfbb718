package io.spanlog.agent.netns;

import java.net.Inet4Address;
import java.util.List;

/**
 * One node of a {@link NetnsLab}: a network namespace with underlay links {@code ul1} and
 * {@code ul2}, each on its own bridge.
 *
 * @param index 1-based
 * @param underlay the node's address on link 1, link 2
 * @param macs the hardware addresses of {@code ul1}, {@code ul2} (distinct per node, so node
 *     identities derived from the first MAC differ)
 */
public record LabNode(int index, String namespace, List<Inet4Address> underlay, List<String> macs) {

  public LabNode {
    underlay = List.copyOf(underlay);
    macs = List.copyOf(macs);
  }

  /** The node's address on underlay link 1 or 2. */
  public Inet4Address underlay(int link) {
    return underlay.get(NetnsLab.checkLink(link) - 1);
  }

  /** The node's interface name for underlay link 1 or 2. */
  public static String linkName(int link) {
    return "ul" + NetnsLab.checkLink(link);
  }
}
