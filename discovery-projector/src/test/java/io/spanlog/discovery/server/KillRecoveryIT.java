package io.spanlog.discovery.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.spanlog.discovery.api.Affiliate;
import io.spanlog.discovery.api.AffiliateUpdateRequest;
import io.spanlog.discovery.api.ClusterGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kill -9 of a discovery instance in the middle of a stream of writes: every write it
 * acknowledged is in the log (another instance lists it), and that instance, restarted from the
 * snapshots the dead one left plus the tail, holds exactly what a full replay of the log holds.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class KillRecoveryIT {
  static final int IN_FLIGHT = 16;
  static final int ACKS_BEFORE_KILL = 300;
  static final long MIN_MILLIS_BEFORE_KILL = 2_500; // snapshots every second: some exist by then

  @Test
  void noAcknowledgedWriteIsLostAndRestartFromSnapshotsEqualsFullReplay() throws Exception {
    String log = TestServers.newLog();
    Vertx vertx = Vertx.vertx();
    GrpcClient grpc = GrpcClient.client(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
    try (ChildProcess child = ChildProcess.start(TestServers.bootstrap(), log, "doomed")) {
      SocketAddress address = SocketAddress.inetSocketAddress(child.awaitPort(), "127.0.0.1");
      Set<String> acked = ConcurrentHashMap.newKeySet();
      AtomicInteger next = new AtomicInteger();
      AtomicInteger failedAfterKill = new AtomicInteger();
      AtomicBoolean killed = new AtomicBoolean();
      List<String> failedBeforeKill = new CopyOnWriteArrayList<>();
      CountDownLatch writersDone = new CountDownLatch(IN_FLIGHT);
      long started = System.nanoTime();
      for (int w = 0; w < IN_FLIGHT; w++) {
        vertx.runOnContext(v -> writeLoop(grpc, address, next, acked, killed, failedAfterKill, failedBeforeKill, writersDone));
      }
      while (acked.size() < ACKS_BEFORE_KILL || TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < MIN_MILLIS_BEFORE_KILL) {
        assertThat(failedBeforeKill).as("writes failed while the instance was alive").isEmpty();
        assertThat(child.isAlive()).as("discovery child alive; output:\n%s", child.output()).isTrue();
        assertThat(System.nanoTime() - started).as("%d acknowledged writes within 60 s", ACKS_BEFORE_KILL)
            .isLessThan(TimeUnit.SECONDS.toNanos(60));
        Thread.sleep(20);
      }
      killed.set(true); // first: a write failing from here on is expected
      child.kill();
      assertThat(writersDone.await(60, TimeUnit.SECONDS)).as("writers stopped after the kill").isTrue();
      assertThat(failedAfterKill.get()).as("writes in flight when the instance died failed").isPositive();
      Set<String> acknowledged = Set.copyOf(acked);

      DiscoveryServer after = DiscoveryServer.start(TestServers.config(log, "after-kill"));
      try (ApiClient c = new ApiClient(vertx, after.port())) {
        Set<String> listed = new java.util.HashSet<>();
        for (int k = 0; k < 5; k++) {
          String cluster = "k" + k;
          for (Affiliate a : c.list(cluster).ok().getAffiliatesList()) {
            assertThat(a.getData().toStringUtf8()).isEqualTo("data-" + a.getId());
            listed.add(cluster + "/" + a.getId());
          }
        }
        assertThat(listed).as("acknowledged writes present after kill -9").containsAll(acknowledged);
        System.out.printf("kill -9: %d writes acknowledged, %d present after restart (unacknowledged ones may land too)%n",
            acknowledged.size(), listed.size());
        assertThat(after.snapshotsLoaded()).as("partitions restored from the dead instance's snapshots").isPositive();
        assertThat(after.state()).isEqualTo(LogReplay.fullReplay(TestServers.bootstrap(), log + ".events"));
      } finally {
        after.close();
      }
    } finally {
      grpc.close();
      vertx.close().await();
    }
  }

  /** One writer: sequential AffiliateUpdates until a write fails after the kill. */
  private static void writeLoop(GrpcClient grpc, SocketAddress address, AtomicInteger next, Set<String> acked,
      AtomicBoolean killed, AtomicInteger failedAfterKill, List<String> failedBeforeKill, CountDownLatch done) {
    int i = next.getAndIncrement();
    String cluster = "k" + (i % 5);
    String affiliate = "a" + i;
    AffiliateUpdateRequest r = AffiliateUpdateRequest.newBuilder().setClusterId(cluster).setAffiliateId(affiliate)
        .setAffiliateData(ByteString.copyFromUtf8("data-" + affiliate))
        .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(1800)).build();
    grpc.request(address, ClusterGrpcClient.AffiliateUpdate)
        .compose(req -> {
          req.timeout(10, TimeUnit.SECONDS);
          return req.send(r).compose(resp -> resp.last().map(v -> resp.status().name() + " " + resp.statusMessage()));
        })
        .recover(e -> Future.succeededFuture("no status: " + e))
        .onComplete(ar -> {
          if (ar.result().startsWith(GrpcStatus.OK.name() + " ")) {
            acked.add(cluster + "/" + affiliate);
          } else if (killed.get()) {
            failedAfterKill.incrementAndGet();
            done.countDown();
            return;
          } else {
            // before the kill every write must succeed; this writer stops and the test reports why
            failedBeforeKill.add(ar.result());
            done.countDown();
            return;
          }
          writeLoop(grpc, address, next, acked, killed, failedAfterKill, failedBeforeKill, done);
        });
  }
}
