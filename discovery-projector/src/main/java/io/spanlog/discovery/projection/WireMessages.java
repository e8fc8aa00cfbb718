package io.spanlog.discovery.projection;

import com.google.protobuf.ByteString;
import io.spanlog.discovery.AffiliateState;
import io.spanlog.discovery.ClusterState;
import io.spanlog.discovery.EndpointState;
import io.spanlog.discovery.Notification;
import io.spanlog.discovery.api.Affiliate;
import io.spanlog.discovery.api.WatchResponse;
import io.spanlog.events.Blob;
import io.vertx.core.buffer.Buffer;

/** Projection state to the API's protobuf messages. */
public final class WireMessages {
  private WireMessages() {}

  public static Affiliate affiliate(AffiliateState a) {
    Affiliate.Builder b = Affiliate.newBuilder().setId(a.id()).setData(bytes(a.data()));
    for (EndpointState e : a.endpoints()) {
      b.addEndpoints(bytes(e.blob()));
    }
    return b.build();
  }

  /**
   * A message as one gRPC length-prefixed frame (flag byte 0: uncompressed, 4-byte length, payload),
   * built once and written to many streams as slices of the same bytes.
   */
  static Buffer grpcFrame(WatchResponse message) {
    byte[] payload = message.toByteArray();
    return Buffer.buffer(5 + payload.length).appendByte((byte) 0).appendInt(payload.length).appendBytes(payload);
  }

  static WatchResponse snapshot(ClusterState state) {
    WatchResponse.Builder b = WatchResponse.newBuilder();
    state.affiliates().forEach(a -> b.addAffiliates(affiliate(a)));
    return b.build();
  }

  static WatchResponse change(Notification n) {
    if (n instanceof Notification.Upsert u) {
      return WatchResponse.newBuilder().addAffiliates(affiliate(u.affiliate())).build();
    }
    return WatchResponse.newBuilder()
        .addAffiliates(Affiliate.newBuilder().setId(n.affiliateId()))
        .setDeleted(true)
        .build();
  }

  public static Blob blob(ByteString bytes) {
    return Blob.of(bytes.toByteArray());
  }

  static ByteString bytes(Blob blob) {
    return ByteString.copyFrom(blob.toByteArray());
  }
}
