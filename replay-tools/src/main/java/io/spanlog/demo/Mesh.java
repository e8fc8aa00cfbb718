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

  @Override
  void close();
}
