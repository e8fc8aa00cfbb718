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
}
