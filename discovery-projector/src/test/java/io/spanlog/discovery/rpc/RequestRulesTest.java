package io.spanlog.discovery.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.spanlog.discovery.api.AffiliateUpdateRequest;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The stateless request rules: validation order and messages, client address, rate limit. */
class RequestRulesTest {
  static AffiliateUpdateRequest.Builder update() {
    return AffiliateUpdateRequest.newBuilder().setClusterId("c").setAffiliateId("a");
  }

  static void rejects(AffiliateUpdateRequest.Builder r, String message) {
    assertThatThrownBy(() -> RequestValidator.update(r.build()))
        .isInstanceOfSatisfying(StatusError.class, e -> assertThat(e.status().name()).isEqualTo("INVALID_ARGUMENT"))
        .hasMessage(message);
  }

  @Test
  void validationFollowsTheReferenceOrderAndWording() {
    rejects(update().setClusterId("").setAffiliateId(""), "cluster ID can't be empty");
    rejects(update().setClusterId("x".repeat(257)), "cluster ID is too long");
    rejects(update().setAffiliateId(""), "affiliate ID can't be empty");
    rejects(update().setAffiliateId("é".repeat(129)), "affiliate ID is too long"); // 258 bytes
    rejects(update().setAffiliateData(ByteString.copyFrom(new byte[2049])), "affiliate data is too big");
    rejects(update().addAffiliateEndpoints(ByteString.copyFrom(new byte[33])), "affiliate endpoint is too big");
    rejects(update().setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(1800).setNanos(1)), "ttl is too large");
    rejects(update().setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(Long.MAX_VALUE)), "ttl is too large");

    RequestValidator.update(update().setClusterId("x".repeat(256)).setAffiliateId("y".repeat(256))
        .setAffiliateData(ByteString.copyFrom(new byte[2048]))
        .addAffiliateEndpoints(ByteString.copyFrom(new byte[32]))
        .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(1800)).build());
  }

  @Test
  void ttlAbsentIsZeroAndNegativeIsKept() {
    assertThat(RequestValidator.ttl(update().build())).isEqualTo(Duration.ZERO);
    assertThat(RequestValidator.ttl(update().setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(-5)).build()))
        .isEqualTo(Duration.ofSeconds(-5));
  }

  @Test
  void proxyHeadersOnlyWhenTrusted() throws Exception {
    ClientAddress direct = new ClientAddress(false, false);
    assertThat(direct.resolve("1.2.3.4", "5.6.7.8", "10.0.0.9")).contains(InetAddress.getByName("10.0.0.9"));
    ClientAddress proxied = new ClientAddress(true, true);
    assertThat(proxied.resolve("1.2.3.4", "5.6.7.8", "10.0.0.9")).contains(InetAddress.getByName("1.2.3.4"));
    assertThat(proxied.resolve("garbage", " 2001:db8::1 , 5.6.7.8", "10.0.0.9")).contains(InetAddress.getByName("2001:db8::1"));
    // a host name is never resolved
    assertThat(proxied.resolve("localhost", "example.com", "10.0.0.9")).contains(InetAddress.getByName("10.0.0.9"));
    assertThat(direct.resolve(null, null, null)).isEqualTo(Optional.empty());
  }

  @Test
  void tokenBucketWaitsThenRefusesPastTheDeadline() {
    AtomicLong now = new AtomicLong();
    RateLimiter limiter = new RateLimiter(15, 60, now::get);
    for (int i = 0; i < 60; i++) {
      assertThat(limiter.reserve("ip", 0)).isZero();
    }
    // the 61st waits one refill interval (1/15 s) for its token
    assertThat(limiter.reserve("ip", Long.MAX_VALUE)).isBetween(66_000_000L, 67_000_000L);
    // the 62nd would wait 2/15 s: refused under a 100 ms deadline, and takes nothing
    assertThat(limiter.reserve("ip", 100_000_000L)).isEqualTo(RateLimiter.REFUSED);
    assertThat(limiter.reserve("other", 0)).isZero();
    now.addAndGet(10_000_000_000L);
    limiter.sweep();
    assertThat(limiter.size()).isZero();
    assertThat(limiter.reserve("ip", 0)).isZero();
  }

  @Test
  void aBucketGoesAtMostOneBurstIntoDebtWhateverTheDeadline() {
    AtomicLong now = new AtomicLong();
    RateLimiter limiter = new RateLimiter(15, 60, now::get);
    for (int i = 0; i < 60; i++) {
      assertThat(limiter.reserve("ip", Long.MAX_VALUE)).isZero();
    }
    // calls without a deadline: the next burst waits, the last of them 60/15 = 4 s
    long lastWait = 0;
    for (int i = 0; i < 60; i++) {
      lastWait = limiter.reserve("ip", Long.MAX_VALUE);
      assertThat(lastWait).isPositive();
    }
    assertThat(lastWait).isBetween(3_999_000_000L, 4_001_000_000L);
    // one more would make it more than a burst in debt: refused at once, and takes nothing
    for (int i = 0; i < 1_000; i++) {
      assertThat(limiter.reserve("ip", Long.MAX_VALUE)).isEqualTo(RateLimiter.REFUSED_IN_DEBT);
    }
    assertThat(limiter.reserve("other", Long.MAX_VALUE)).isZero();
    // a refill interval later there is room for one more waiting call
    now.addAndGet(67_000_000L);
    assertThat(limiter.reserve("ip", Long.MAX_VALUE)).isBetween(3_990_000_000L, 4_001_000_000L);
    assertThat(limiter.reserve("ip", Long.MAX_VALUE)).isEqualTo(RateLimiter.REFUSED_IN_DEBT);
    assertThat(limiter.describe()).isEqualTo("15 per second, burst 60");
  }

  @Test
  void limitsCountIpv4ByAddressAndIpv6ByItsSlash64() throws Exception {
    assertThat(ClientAddress.limitKey("192.0.2.7")).isEqualTo("192.0.2.7");
    assertThat(ClientAddress.limitKey("192.0.2.8")).isEqualTo("192.0.2.8");
    assertThat(ClientAddress.limitKey("2001:db8:1:2::1")).isEqualTo("2001:db8:1:2::/64");
    assertThat(ClientAddress.limitKey("2001:db8:1:2:ffff:ee:dd:cc")).isEqualTo("2001:db8:1:2::/64");
    assertThat(ClientAddress.limitKey("[2001:DB8:1:3::1]")).isEqualTo("2001:db8:1:3::/64");
    assertThat(ClientAddress.limitKey("::ffff:192.0.2.7")).isEqualTo("192.0.2.7");
    assertThat(ClientAddress.limitKey("::1")).isEqualTo("::/64");
    assertThat(ClientAddress.limitKey((String) null)).isEqualTo("unknown");
    assertThat(ClientAddress.limitKey("not an address")).isEqualTo("unknown");
    // the rate limit counts the same way
    RpcCalls.Caller a = new RpcCalls.Caller(Optional.of(InetAddress.getByName("2001:db8:1:2::1")), 0);
    RpcCalls.Caller b = new RpcCalls.Caller(Optional.of(InetAddress.getByName("2001:db8:1:2::99")), 0);
    assertThat(a.key()).isEqualTo(b.key());
  }

  @Test
  void aCallAnswersBeforeItsDeadlineAndWithinTheCapWithout() {
    Duration cap = Duration.ofSeconds(30);
    assertThat(new RpcCalls.Caller(Optional.empty(), 0).answerWithin(cap)).isEqualTo(cap);
    Duration tenSeconds = new RpcCalls.Caller(Optional.empty(), 10_000).answerWithin(cap);
    assertThat(tenSeconds).isBetween(Duration.ofMillis(9_000), Duration.ofMillis(9_500));
    Duration oneSecond = new RpcCalls.Caller(Optional.empty(), 1_000).answerWithin(cap);
    assertThat(oneSecond).isBetween(Duration.ofMillis(500), Duration.ofMillis(750));
    assertThat(new RpcCalls.Caller(Optional.empty(), 120_000).answerWithin(cap)).isEqualTo(cap);
    // a deadline already past still gets an answer now rather than never
    assertThat(new RpcCalls.Caller(Optional.empty(), 1, System.nanoTime() - 1_000_000_000L).answerWithin(cap))
        .isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void discoveryMessagesHaveTheirOwnSizeLimit() {
    assertThat(RpcCalls.maxMessageBytes("/sidero.discovery.server.Cluster/AffiliateUpdate")).isEqualTo(64 * 1024);
    assertThat(RpcCalls.maxMessageBytes("/spanlog.telemetry.v1.Telemetry/Report")).isEqualTo(4 * 1024 * 1024);
    // the largest valid AffiliateUpdate fits with room to spare
    AffiliateUpdateRequest.Builder largest = update().setClusterId("c".repeat(256)).setAffiliateId("a".repeat(256))
        .setAffiliateData(ByteString.copyFrom(new byte[2048]))
        .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(1800).setNanos(999_999_999));
    for (int i = 0; i < 64; i++) {
      largest.addAffiliateEndpoints(ByteString.copyFrom(new byte[32]));
    }
    assertThat(largest.build().getSerializedSize()).isLessThan(RpcCalls.MAX_DISCOVERY_MESSAGE_BYTES / 8);
  }
}
