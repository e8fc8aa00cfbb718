package io.spanlog.affiliate;

import com.google.protobuf.ByteString;
import io.spanlog.discovery.payload.Affiliate;
import io.spanlog.discovery.payload.IPPrefix;
import io.spanlog.discovery.payload.KubeSpan;
import io.spanlog.net.Endpoint;
import io.spanlog.net.IpPrefix;
import io.spanlog.net.IpText;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Conversions between the plaintext payload messages ({@code sidero.discovery.client}) and
 * Spanlog's records. Readers are lenient where Talos is (entries that do not parse are dropped)
 * and report a typed failure where a record would otherwise be meaningless.
 */
public final class PayloadMessages {
  private PayloadMessages() {}

  public static Affiliate toProto(DecodedAffiliate a) {
    var b =
        Affiliate.newBuilder()
            .setNodeId(a.nodeId())
            .setHostname(a.hostname())
            .setNodename(a.nodename())
            .setMachineType(a.machineType())
            .setOperatingSystem(a.os());
    a.addresses().forEach(ip -> b.addAddresses(ByteString.copyFrom(ip.getAddress())));
    a.kubeSpan()
        .ifPresent(
            k -> {
              var kb =
                  KubeSpan.newBuilder()
                      .setPublicKey(k.publicKey())
                      .setAddress(ByteString.copyFrom(k.address().getAddress()));
              k.additionalAddresses().forEach(p -> kb.addAdditionalAddresses(toProto(p)));
              k.excludeAdvertised().forEach(p -> kb.addExcludeAdvertisedAddresses(toProto(p)));
              b.setKubespan(kb);
            });
    return b.build();
  }

  public static DecodeResult<DecodedAffiliate> fromProto(Affiliate p) {
    Optional<KubeSpanInfo> kubeSpan = Optional.empty();
    // Talos treats a KubeSpan record without a public key as KubeSpan being off.
    if (p.hasKubespan() && !p.getKubespan().getPublicKey().isEmpty()) {
      KubeSpan k = p.getKubespan();
      Optional<InetAddress> address = ip(k.getAddress());
      if (address.isEmpty()) {
        return DecodeResult.failed(
            DecodeProblem.BAD_VALUE,
            "KubeSpan address of node " + p.getNodeId() + " has " + k.getAddress().size() + " bytes");
      }
      kubeSpan =
          Optional.of(
              new KubeSpanInfo(
                  k.getPublicKey(),
                  address.get(),
                  prefixes(k.getAdditionalAddressesList()),
                  prefixes(k.getExcludeAdvertisedAddressesList())));
    }
    List<InetAddress> addresses = new ArrayList<>();
    for (ByteString raw : p.getAddressesList()) {
      ip(raw).ifPresent(addresses::add);
    }
    return DecodeResult.ok(
        new DecodedAffiliate(
            p.getNodeId(),
            addresses,
            p.getHostname(),
            p.getNodename(),
            p.getMachineType(),
            p.getOperatingSystem(),
            kubeSpan));
  }

  public static io.spanlog.discovery.payload.Endpoint toProto(Endpoint e) {
    return io.spanlog.discovery.payload.Endpoint.newBuilder()
        .setIp(ByteString.copyFrom(e.ip().getAddress()))
        .setPort(e.port())
        .build();
  }

  public static DecodeResult<Endpoint> fromProto(io.spanlog.discovery.payload.Endpoint p) {
    Optional<InetAddress> ip = ip(p.getIp());
    if (ip.isEmpty()) {
      return DecodeResult.failed(
          DecodeProblem.BAD_VALUE, "endpoint IP has " + p.getIp().size() + " bytes, not 4 or 16");
    }
    // uint32 arrives as a Java int; anything outside 0..65535 (incl. negative) is not a port.
    if (p.getPort() < 0 || p.getPort() > 65535) {
      return DecodeResult.failed(
          DecodeProblem.BAD_VALUE, "endpoint port " + Integer.toUnsignedString(p.getPort()));
    }
    return DecodeResult.ok(new Endpoint(ip.get(), p.getPort()));
  }

  public static IPPrefix toProto(IpPrefix p) {
    return IPPrefix.newBuilder()
        .setIp(ByteString.copyFrom(p.address().getAddress()))
        .setBits(p.bits())
        .build();
  }

  private static List<IpPrefix> prefixes(List<IPPrefix> raw) {
    List<IpPrefix> out = new ArrayList<>();
    for (IPPrefix p : raw) {
      Optional<InetAddress> ip = ip(p.getIp());
      int width = p.getIp().size() * 8;
      if (ip.isPresent() && p.getBits() >= 0 && p.getBits() <= width) {
        out.add(new IpPrefix(ip.get(), p.getBits()));
      }
    }
    return out;
  }

  private static Optional<InetAddress> ip(ByteString raw) {
    if (raw.size() != 4 && raw.size() != 16) {
      return Optional.empty();
    }
    return Optional.of(IpText.fromBytes(raw.toByteArray()));
  }
}
