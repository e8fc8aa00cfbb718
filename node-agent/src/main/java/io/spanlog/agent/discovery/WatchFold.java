package io.spanlog.agent.discovery;

import com.google.protobuf.ByteString;
import io.spanlog.affiliate.AffiliateCrypto;
import io.spanlog.affiliate.AffiliateView;
import io.spanlog.affiliate.DecodeResult;
import io.spanlog.affiliate.DecodedAffiliate;
import io.spanlog.discovery.api.Affiliate;
import io.spanlog.discovery.api.WatchResponse;
import io.spanlog.net.Endpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Applies Watch messages to a {@link ClusterView} as Talos's client does (discovery-api.md,
 * section 13): the first message of a stream replaces the view; messages about this node are
 * ignored; a deletion removes the id; an entry with empty data is skipped (neither added nor
 * removed); an entry that does not decrypt or parse is skipped and reported; endpoint blobs that
 * do not decrypt are skipped one by one.
 */
public final class WatchFold {

  /** Something that was left out, for the log. Never contains plaintext or key material. */
  public record Skipped(String affiliateId, String reason) {}

  /** The result of one message. */
  public record Applied(ClusterView view, boolean changed, List<Skipped> skipped) {
    public Applied {
      skipped = List.copyOf(skipped);
    }
  }

  private final AffiliateCrypto crypto;
  private final String selfId;

  public WatchFold(AffiliateCrypto crypto, String selfId) {
    this.crypto = Objects.requireNonNull(crypto, "crypto");
    this.selfId = Objects.requireNonNull(selfId, "selfId");
  }

  /**
   * @param snapshot true for the first message of a stream
   */
  public Applied apply(ClusterView view, WatchResponse message, boolean snapshot) {
    Map<String, AffiliateView> next = snapshot ? new HashMap<>() : new HashMap<>(view.byId());
    List<Skipped> skipped = new ArrayList<>();
    for (Affiliate a : message.getAffiliatesList()) {
      if (a.getId().equals(selfId)) {
        continue;
      }
      if (message.getDeleted()) {
        next.remove(a.getId());
        continue;
      }
      if (a.getData().isEmpty()) {
        continue;
      }
      DecodeResult<DecodedAffiliate> decoded = crypto.decryptAffiliate(a.getData().toByteArray());
      if (decoded instanceof DecodeResult.Failed<DecodedAffiliate> failed) {
        skipped.add(new Skipped(a.getId(), "data: " + failed));
        continue;
      }
      var endpoints = new LinkedHashSet<Endpoint>();
      for (ByteString blob : a.getEndpointsList()) {
        DecodeResult<Endpoint> e = crypto.decryptEndpoint(blob.toByteArray());
        if (e instanceof DecodeResult.Failed<Endpoint> bad) {
          skipped.add(new Skipped(a.getId(), "endpoint: " + bad));
        } else {
          endpoints.add(((DecodeResult.Ok<Endpoint>) e).value());
        }
      }
      DecodedAffiliate data = ((DecodeResult.Ok<DecodedAffiliate>) decoded).value();
      next.put(a.getId(), new AffiliateView(a.getId(), data, List.copyOf(endpoints)));
    }
    ClusterView result = ClusterView.of(next);
    return new Applied(result, !result.equals(view), skipped);
  }
}
