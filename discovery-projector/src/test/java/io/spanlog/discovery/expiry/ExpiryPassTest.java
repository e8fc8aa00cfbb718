package io.spanlog.discovery.expiry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spanlog.discovery.log.EventAppender;
import io.spanlog.discovery.projection.ClusterProjection;
import io.spanlog.discovery.projection.ProjectionFixture;
import io.spanlog.events.AffiliateExpired;
import io.spanlog.events.AffiliateUpdated;
import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** One expiry pass, without a broker: what it writes, for which partitions, at which instant. */
class ExpiryPassTest {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  final EventAppender appender = new EventAppender(producer, "events", new SimpleMeterRegistry().timer("t"));
  final ClusterProjection projection = new ClusterProjection();
  final List<ExpiryPass.Result> reported = new ArrayList<>();

  void update(int partition, long offset, String cluster, String affiliate, Duration ttl) {
    ProjectionFixture.fold(projection, partition, offset, Envelope.of(cluster, affiliate, T0, "test",
        new AffiliateUpdated(affiliate, Optional.empty(), List.of(), ttl, Optional.empty())));
  }

  ExpiryPass passAt(Instant now) {
    return new ExpiryPass(projection, appender, Clock.fixed(now, ZoneOffset.UTC), "gc@test", reported::add);
  }

  @Test
  void writesOneExpiryEventPerDeadAffiliateOfTheOwnedPartitionsAtThePassInstant() {
    update(0, 0, "c1", "short", Duration.ofMinutes(1));
    update(0, 1, "c1", "long", Duration.ofMinutes(30));
    update(1, 0, "c2", "other-partition", Duration.ofMinutes(1));
    Instant now = T0.plus(Duration.ofMinutes(5));

    ExpiryPass.Result result = passAt(now).run(Set.of(0));

    assertThat(result).isEqualTo(new ExpiryPass.Result(1, 0, 0));
    assertThat(reported).containsExactly(result);
    assertThat(producer.history()).singleElement().satisfies(r -> {
      Envelope e = EventCodec.decode(r.value());
      assertThat(e.clusterId()).isEqualTo("c1");
      assertThat(e.at()).isEqualTo(now);
      assertThat(e.producer()).isEqualTo("gc@test");
      assertThat(e.payload()).isInstanceOfSatisfying(AffiliateExpired.class, x -> assertThat(x.affiliateId()).isEqualTo("short"));
    });
  }

  @Test
  void aClusterWhoseEveryAffiliateExpiredCountsAsEmptied() {
    update(2, 0, "c3", "a", Duration.ofSeconds(10));
    update(2, 1, "c3", "b", Duration.ofSeconds(20));
    assertThat(passAt(T0.plusSeconds(15)).run(Set.of(2))).isEqualTo(new ExpiryPass.Result(1, 0, 0));
    // nothing is folded back here, so "a" is judged again along with "b": both go, the cluster empties
    assertThat(passAt(T0.plusSeconds(25)).run(Set.of(2))).isEqualTo(new ExpiryPass.Result(2, 0, 1));
    assertThat(passAt(T0).run(Set.of(2))).isEqualTo(new ExpiryPass.Result(0, 0, 0));
  }
}
