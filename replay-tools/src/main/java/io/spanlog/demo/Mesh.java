package io.spanlog.demo;

import io.spanlog.ctl.StatusSource;
import java.util.List;

/** The demo's running agents, whichever backend they use. Closing stops them and cleans up. */
interface Mesh extends AutoCloseable {

  /** One agent: its name and where its status API answers. */
  record Node(String name, StatusSource status) {}

  List<Node> nodes();

  /** One line saying what runs, e.g. "3 agents in network namespaces with wireguard-go". */
  String description();

  /**
   * Starts traffic between every ordered pair of nodes over their KubeSpan addresses (given in
   * node order), so RX/TX show more than handshakes; stopped by {@link #close()}.
   *
   * @return one line saying what runs, or why nothing does
   */
  String startTraffic(List<String> overlayAddresses) throws java.io.IOException;

  @Override
  void close();
}
