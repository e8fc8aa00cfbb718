package io.spanlog.discovery.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.spanlog.discovery.api.Affiliate;
import io.spanlog.discovery.api.AffiliateUpdateRequest;
import io.spanlog.discovery.api.WatchResponse;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: Watches opened on the same cluster state share one serialized snapshot, and readers
 * that do not read hold only a bounded part of it queued each, over real sockets.
 */
class WatchSnapshotIT {
  static final int AFFILIATES = 400;
  static final int READERS = 12;

  static DiscoveryServer server;
  static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    server = DiscoveryServer.start(TestServers.config(TestServers.newLog(), "snap-1"));
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await();
    server.close();
  }

  /** A cluster near the spec's limits per affiliate: 2 KiB data, 64 endpoints of 32 B; ~1.7 MiB of snapshot. */
  static void fill(ApiClient client, String cluster) {
    Random rnd = new Random(3);
    List<AffiliateUpdateRequest> updates = new ArrayList<>();
    for (int i = 0; i < AFFILIATES; i++) {
      byte[] data = new byte[2048];
      rnd.nextBytes(data);
      AffiliateUpdateRequest.Builder b = AffiliateUpdateRequest.newBuilder().setClusterId(cluster).setAffiliateId("a" + i)
          .setAffiliateData(ByteString.copyFrom(data)).setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(1800));
      for (int e = 0; e < 64; e++) {
        byte[] blob = new byte[32];
        rnd.nextBytes(blob);
        b.addAffiliateEndpoints(ByteString.copyFrom(blob));
      }
      updates.add(b.build());
    }
    updates.parallelStream().forEach(u -> client.update(u).ok());
  }

  static List<Affiliate> sorted(List<Affiliate> list) {
    return list.stream().sorted(Comparator.comparing(Affiliate::getId)).toList();
  }

  @Test
  void slowReadersShareOneSnapshotAndAreHandedOnlyWhatTheyRead() throws Exception {
    String cluster = "big";
    try (ApiClient writer = new ApiClient(vertx, server.port())) {
      fill(writer, cluster);
      List<Affiliate> expected = sorted(writer.list(cluster).ok().getAffiliatesList());
      int snapshotBytes = WatchResponse.newBuilder().addAllAffiliates(expected).build().getSerializedSize();
      assertThat(snapshotBytes).isGreaterThan(1_500_000);

      long builtBefore = server.view().snapshotsBuilt();
      long sentBefore = server.view().snapshotBytesSent();
      // readers that read nothing, each on its own connection (HTTP/2 flow control per connection)
      List<RawWatch> readers = new ArrayList<>();
      try {
        for (int i = 0; i < READERS; i++) {
          readers.add(new RawWatch(vertx, server.port(), cluster));
        }
        for (int i = 0; i < 200 && server.view().subscriptionCount() < READERS; i++) {
          Thread.sleep(50);
        }
        assertThat(server.view().subscriptionCount()).isEqualTo(READERS);
        Thread.sleep(1000); // the server writes what flow control lets through, and no more
        long handed = server.view().snapshotBytesSent() - sentBefore;
        System.out.printf("%d paused Watch readers of a %d-byte snapshot: %d snapshot bytes handed to their streams in all, %d snapshot(s) built%n",
            READERS, snapshotBytes, handed, server.view().snapshotsBuilt() - builtBefore);
        assertThat(server.view().snapshotsBuilt() - builtBefore).as("one snapshot serialized for all").isEqualTo(1);
        // per stream: its 64 KiB HTTP/2 window, plus Vert.x's write queue (16 writes of a slice)
        long perStream = 64 * 1024 + 17L * 16 * 1024;
        assertThat(handed).as("snapshot bytes handed to %d streams whose readers do not read", READERS)
            .isLessThanOrEqualTo(READERS * perStream)
            .isLessThan((long) snapshotBytes * READERS / 4);
        assertThat(server.metricsText()).contains("spanlog_discovery_watch_snapshot_bytes_total");

        // once they read, each gets the whole snapshot and then the changes, in order
        for (RawWatch r : readers) {
          r.resume();
        }
        for (RawWatch r : readers) {
          WatchResponse first = r.next();
          assertThat(first.getDeleted()).isFalse();
          assertThat(sorted(first.getAffiliatesList())).isEqualTo(expected);
        }
        writer.update(cluster, "late", "d", Duration.ofMinutes(30)).ok();
        for (RawWatch r : readers) {
          assertThat(r.next().getAffiliates(0).getId()).isEqualTo("late");
        }
        assertThat(server.view().snapshotBytesSent() - sentBefore).as("all of it, once they read")
            .isEqualTo((long) READERS * (snapshotBytes + 5));
      } finally {
        readers.forEach(RawWatch::close);
      }
    }
  }

  /** Spec 5.5: a full queue drops the stream with ABORTED; dropped mid-snapshot, it still gets a whole one first. */
  @Test
  void aSlowReaderDroppedMidSnapshotReadsAWholeSnapshotThenAborted() throws Exception {
    String cluster = "dropped";
    try (ApiClient writer = new ApiClient(vertx, server.port())) {
      Random rnd = new Random(5);
      for (int i = 0; i < 100; i++) {
        AffiliateUpdateRequest.Builder b = AffiliateUpdateRequest.newBuilder().setClusterId(cluster).setAffiliateId("a" + i)
            .setAffiliateData(ByteString.copyFrom(new byte[2048])).setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(1800));
        for (int e = 0; e < 64; e++) {
          byte[] blob = new byte[32];
          rnd.nextBytes(blob);
          b.addAffiliateEndpoints(ByteString.copyFrom(blob));
        }
        writer.update(b.build()).ok();
      }
      List<Affiliate> expected = sorted(writer.list(cluster).ok().getAffiliatesList());
      try (RawWatch slow = new RawWatch(vertx, server.port(), cluster)) {
        int before = server.view().subscriptionCount();
        for (int i = 0; i < 200 && server.view().subscriptionCount() == before; i++) {
          Thread.sleep(50);
        }
        // more changes than the stream's queue holds while its snapshot (~430 KB) is not read
        for (int i = 0; i < 40 && server.view().subscriptionCount() == before + 1; i++) {
          writer.update(cluster, "a" + i, "changed " + i, Duration.ofMinutes(30)).ok();
        }
        assertThat(server.view().subscriptionCount()).as("the slow stream was dropped").isEqualTo(before);
        slow.resume();
        assertThat(sorted(slow.next().getAffiliatesList())).as("a whole snapshot, not a cut-off one").isEqualTo(expected);
        assertThat(slow.status.get(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("10"); // ABORTED
      }
    }
  }

  @Test
  void watchersOfAnotherStateGetTheirOwnSnapshot() throws Exception {
    try (ApiClient c = new ApiClient(vertx, server.port())) {
      String cluster = "small";
      c.update(cluster, "x", "1", Duration.ofMinutes(30)).ok();
      Watcher w1 = c.watch(cluster);
      assertThat(w1.next().getAffiliatesList()).extracting(Affiliate::getId).containsExactly("x");
      c.update(cluster, "y", "2", Duration.ofMinutes(30)).ok();
      w1.next();
      Watcher w2 = c.watch(cluster);
      assertThat(w2.next().getAffiliatesList()).extracting(Affiliate::getId).containsExactlyInAnyOrder("x", "y");
      w1.cancel();
      w2.cancel();
    }
  }
}
