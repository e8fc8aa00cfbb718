package io.spanlog.discovery;

import java.time.Duration;

/** The limits of the discovery API (spec section 8), shared by the service and its clients. */
public final class DiscoveryLimits {
  public static final int MAX_CLUSTER_ID_BYTES = 256;
  public static final int MAX_AFFILIATE_ID_BYTES = 256;
  public static final int MAX_AFFILIATE_DATA_BYTES = 2048;
  public static final int MAX_ENDPOINT_BYTES = 32;
  public static final Duration MAX_TTL = Duration.ofMinutes(30);
  public static final int MAX_ENDPOINTS_PER_AFFILIATE = 64;
  public static final int MAX_AFFILIATES_PER_CLUSTER = 1024;
  /** Pending notifications a Watch stream may hold before it is dropped as too slow. */
  public static final int WATCH_QUEUE_CAPACITY = 32;

  private DiscoveryLimits() {}
}
