package io.spanlog.discovery.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.discovery.api.Affiliate;
import io.spanlog.discovery.api.WatchResponse;
import io.spanlog.infra.testing.ManualClock;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The service's clock is the one time source of its events: an affiliate with half an hour to
 * live expires as soon as that clock says half an hour passed, without the test waiting for it.
 */
class ServiceClockIT {
  static final Duration TTL = Duration.ofMinutes(30);

  @Test
  void anAffiliateExpiresWhenTheServiceClockPassesItsTtl() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    Vertx vertx = Vertx.vertx();
    try (DiscoveryServer server = DiscoveryServer.with(TestServers.config(TestServers.newLog(), "clock"))
            .clock(clock).vertx(vertx).start();
        ApiClient client = new ApiClient(vertx, server.port())) {
      client.update("timed", "n1", "data", TTL).ok();
      Watcher w = client.watch("timed");
      assertThat(w.next().getAffiliatesList()).extracting(Affiliate::getId).containsExactly("n1");

      clock.advance(TTL.minusSeconds(1));
      w.assertNothingWithin(1_000); // several GC passes (every 300 ms) judged it alive

      clock.advance(Duration.ofSeconds(2)); // past expiry, which is at the update's instant plus the TTL
      WatchResponse gone = w.next();
      assertThat(gone.getDeleted()).isTrue();
      assertThat(gone.getAffiliates(0).getId()).isEqualTo("n1");
      assertThat(client.list("timed").ok().getAffiliatesList()).isEmpty();
      w.cancel();
    } finally {
      vertx.close().await();
    }
  }
}
