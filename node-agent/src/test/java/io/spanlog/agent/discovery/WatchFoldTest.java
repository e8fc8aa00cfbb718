package io.spanlog.agent.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.spanlog.affiliate.AffiliateCrypto;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.affiliate.DecodedAffiliate;
import io.spanlog.discovery.api.Affiliate;
import io.spanlog.discovery.api.WatchResponse;
import io.spanlog.net.Endpoint;
import io.spanlog.net.IpText;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WatchFoldTest {
  private final AffiliateCrypto crypto = new AffiliateCrypto(ClusterSecret.fromBytes(new byte[32]));
  private final AffiliateCrypto stranger = new AffiliateCrypto(ClusterSecret.fromBytes(filled(7)));
  private final WatchFold fold = new WatchFold(crypto, "me");

  private static byte[] filled(int v) {
    byte[] b = new byte[32];
    java.util.Arrays.fill(b, (byte) v);
    return b;
  }

  private static DecodedAffiliate data(String id) {
    return new DecodedAffiliate(id, List.of(IpText.parse("10.0.0.1")), id, id, "worker", "test", Optional.empty());
  }

  private Affiliate affiliate(String id, AffiliateCrypto with, Endpoint... endpoints) {
    var b = Affiliate.newBuilder().setId(id).setData(ByteString.copyFrom(with.encryptAffiliate(data(id))));
    for (Endpoint e : endpoints) {
      b.addEndpoints(ByteString.copyFrom(with.encryptEndpoint(e)));
    }
    return b.build();
  }

  private static WatchResponse msg(Affiliate... affiliates) {
    return WatchResponse.newBuilder().addAllAffiliates(List.of(affiliates)).build();
  }

  private static WatchResponse deleted(String id) {
    return WatchResponse.newBuilder().setDeleted(true).addAffiliates(Affiliate.newBuilder().setId(id)).build();
  }

  @Test
  void theFirstMessageReplacesTheViewAndSelfIsIgnored() {
    ClusterView old = fold.apply(ClusterView.empty(), msg(affiliate("gone", crypto)), true).view();
    var applied = fold.apply(old, msg(affiliate("a", crypto), affiliate("me", crypto)), true);
    assertThat(applied.view().byId()).containsOnlyKeys("a");
    assertThat(applied.changed()).isTrue();
    assertThat(fold.apply(old, WatchResponse.getDefaultInstance(), true).view().size()).isZero();
  }

  @Test
  void deltasUpsertAndDelete() {
    ClusterView v = fold.apply(ClusterView.empty(), msg(affiliate("a", crypto)), true).view();
    Endpoint e = Endpoint.parse("10.0.0.1:51820");
    v = fold.apply(v, msg(affiliate("b", crypto, e)), false).view();
    assertThat(v.byId()).containsOnlyKeys("a", "b");
    assertThat(v.get("b").orElseThrow().endpoints()).containsExactly(e);
    var afterDelete = fold.apply(v, deleted("a"), false);
    assertThat(afterDelete.view().byId()).containsOnlyKeys("b");
    assertThat(fold.apply(afterDelete.view(), deleted("me"), false).changed()).isFalse();
  }

  @Test
  void emptyDataIsNeitherAddedNorRemoved() {
    ClusterView v = fold.apply(ClusterView.empty(), msg(affiliate("a", crypto)), true).view();
    var harvestedOnly = Affiliate.newBuilder().setId("a")
        .addEndpoints(ByteString.copyFrom(crypto.encryptEndpoint(Endpoint.parse("1.2.3.4:5")))).build();
    var applied = fold.apply(v, msg(harvestedOnly, Affiliate.newBuilder().setId("new").build()), false);
    assertThat(applied.changed()).isFalse();
    assertThat(applied.view()).isEqualTo(v);
  }

  @Test
  void undecryptableEntriesAreSkippedAndReportedWithoutDroppingOthers() {
    ClusterView v = fold.apply(ClusterView.empty(), msg(affiliate("a", crypto)), true).view();
    var applied = fold.apply(v, msg(affiliate("a", stranger)), false);
    assertThat(applied.view()).isEqualTo(v);
    assertThat(applied.skipped()).singleElement().satisfies(s -> {
      assertThat(s.affiliateId()).isEqualTo("a");
      assertThat(s.reason()).contains("not-authentic");
    });
  }

  @Test
  void aBadEndpointBlobIsSkippedAlone() {
    Endpoint good = Endpoint.parse("10.0.0.1:51820");
    var a = affiliate("a", crypto, good).toBuilder()
        .addEndpoints(ByteString.copyFrom(new byte[17]))
        .addEndpoints(ByteString.copyFrom(stranger.encryptEndpoint(Endpoint.parse("10.9.9.9:1"))))
        .build();
    var applied = fold.apply(ClusterView.empty(), msg(a), true);
    assertThat(applied.view().get("a").orElseThrow().endpoints()).containsExactly(good);
    assertThat(applied.skipped()).hasSizeGreaterThanOrEqualTo(1).allSatisfy(s -> assertThat(s.reason()).startsWith("endpoint:"));
  }
}
