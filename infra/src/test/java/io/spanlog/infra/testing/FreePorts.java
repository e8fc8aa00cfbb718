package io.spanlog.infra.testing;

import io.spanlog.infra.LoopbackPorts;

/** Ports free on 127.0.0.1 right now, for brokers and servers started by tests. */
public final class FreePorts {
  private FreePorts() {}

  public static int next() {
    return LoopbackPorts.free();
  }

  /** Two different free ports (client and controller of a broker). */
  public static int[] pair() {
    return LoopbackPorts.freePair();
  }
}
