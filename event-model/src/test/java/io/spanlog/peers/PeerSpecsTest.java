package io.spanlog.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.affiliate.AffiliateView;
import io.spanlog.affiliate.DecodedAffiliate;
import io.spanlog.affiliate.KubeSpanInfo;
import io.spanlog.events.EndpointSource;
import io.spanlog.net.Endpoint;
import io.spanlog.net.IpPrefix;
import io.spanlog.net.IpText;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PeerSpecsTest {

  /**
   * A valid WireGuard key (base64 of 32 bytes) that sorts as {@code name} does: its letters and
   * digits padded with 'A' (zero bits).
   */
  private static String key(String name) {
    String letters = name.replaceAll("[^A-Za-z0-9]", "");
    return letters + "A".repeat(43 - letters.length()) + "=";
  }

  private static AffiliateView affiliate(
      String id, String key, String overlay, List<String> addresses, List<String> extra, String... endpoints) {
    return withRawKey(id, key == null ? null : key(key), overlay, addresses, extra, endpoints);
  }

  private static AffiliateView withRawKey(
      String id, String key, String overlay, List<String> addresses, List<String> extra, String... endpoints) {
    var data =
        new DecodedAffiliate(
            id,
            addresses.stream().map(IpText::parse).toList(),
            id + ".example",
            "node-" + id,
            "worker",
            "Spanlog",
            key == null
                ? Optional.empty()
                : Optional.of(
                    new KubeSpanInfo(
                        key, IpText.parse(overlay), extra.stream().map(IpPrefix::parse).toList(), List.of())));
    return new AffiliateView(id, data, Stream.of(endpoints).map(Endpoint::parse).toList());
  }

  private static List<String> text(List<IpPrefix> prefixes) {
    return prefixes.stream().map(IpPrefix::toString).toList();
  }

  @Test
  void skipsSelfAndAffiliatesWithoutKubeSpan() {
    var result =
        PeerSpecs.compute(
            key("KEY-SELF"),
            List.of(
                affiliate("self", "KEY-SELF", "fd00::1", List.of("10.0.0.1"), List.of()),
                affiliate("plain", null, null, List.of("10.0.0.9"), List.of()),
                affiliate("b", "KEY-B", "fd00::2", List.of("10.0.0.2"), List.of(), "10.0.0.2:51820")));
    assertThat(result.peers()).extracting(PeerSpec::affiliateId).containsExactly("b");
    assertThat(result.warnings()).isEmpty();
    PeerSpec b = result.peers().get(0);
    assertThat(b.label()).isEqualTo("node-b");
    assertThat(IpText.format(b.address())).isEqualTo("fd00::2");
  }

  @Test
  void allowedIpsAreTheMinimalUnionOfOverlayNodeAddressesAndExtraPrefixes() {
    var result =
        PeerSpecs.compute(
            "ME",
            List.of(
                affiliate(
                    "a",
                    "KEY-A",
                    "fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169",
                    List.of("192.168.1.10", "10.244.1.7", "2001:db8::10"),
                    List.of("10.244.1.0/25", "10.244.1.128/25"))));
    assertThat(text(result.peers().get(0).allowedIps()))
        .containsExactly(
            "10.244.1.0/24",
            "192.168.1.10/32",
            "2001:db8::10/128",
            "fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169/128");
  }

  @Test
  void anOverlappingPeerIsDroppedTheSameWayWhateverTheInputOrder() {
    var first = affiliate("x", "AAA", "fd00::a", List.of("10.0.0.1"), List.of("10.244.0.0/16"));
    var second = affiliate("y", "BBB", "fd00::b", List.of("10.0.0.2"), List.of("10.244.5.0/24"));
    var third = affiliate("z", "CCC", "fd00::c", List.of("10.0.0.3"), List.of());
    List<AffiliateView> input = new ArrayList<>(List.of(third, second, first));
    var a = PeerSpecs.compute("ME", input);
    Collections.reverse(input);
    var b = PeerSpecs.compute("ME", input);
    assertThat(a).isEqualTo(b);
    assertThat(a.peers()).extracting(PeerSpec::publicKey).containsExactly(key("AAA"), key("CCC"));
    assertThat(a.warnings()).singleElement().satisfies(w -> {
      assertThat(w.publicKey()).isEqualTo(key("BBB"));
      assertThat(w.affiliateId()).isEqualTo("y");
      assertThat(w.message()).contains("overlap");
    });
  }

  @Test
  void anAffiliateWhoseKeyIsNotAWireGuardKeyIsLeftOutWithAWarningAndPushesOutNoValidPeer() {
    String notAKey = "++not-a-key";
    String shortKey = Base64.getEncoder().encodeToString(new byte[31]);
    String padded = " " + key("KEY-C") + " ";
    var result =
        PeerSpecs.compute(
            key("ME"),
            List.of(
                // sorts before b's key and claims b's addresses: were it kept, b would be dropped as overlapping
                withRawKey("bad", notAKey, "fd00::2", List.of("10.0.0.2"), List.of()),
                affiliate("b", "KEY-B", "fd00::2", List.of("10.0.0.2"), List.of()),
                withRawKey("short", shortKey, "fd00::3", List.of("10.0.0.3"), List.of()),
                withRawKey("padded", padded, "fd00::4", List.of("10.0.0.4"), List.of())));
    assertThat(result.peers()).extracting(PeerSpec::affiliateId).containsExactly("b");
    assertThat(result.warnings()).extracting(PeerSpecWarning::affiliateId).containsExactly("bad", "short", "padded");
    assertThat(result.warnings()).extracting(PeerSpecWarning::publicKey).containsExactly(notAKey, shortKey, padded);
    assertThat(result.warnings()).allSatisfy(w -> assertThat(w.message()).contains("not the base64 of 32 bytes"));
  }

  @Test
  void aDuplicatePublicKeyKeepsTheFirstAffiliateId() {
    var result =
        PeerSpecs.compute(
            "ME",
            List.of(
                affiliate("n2", "KEY", "fd00::2", List.of("10.0.0.2"), List.of()),
                affiliate("n1", "KEY", "fd00::1", List.of("10.0.0.1"), List.of())));
    assertThat(result.peers()).extracting(PeerSpec::affiliateId).containsExactly("n1");
    assertThat(result.warnings()).extracting(PeerSpecWarning::affiliateId).containsExactly("n2");
  }

  @Test
  void aKeyStaysUsedWhenItsFirstAffiliateIsDroppedForAnOverlap() {
    var result =
        PeerSpecs.compute(
            "ME",
            List.of(
                affiliate("a", "AAA", "fd00::a", List.of("10.0.0.1"), List.of()),
                // n1 takes a's address and is dropped; n2 has n1's key and addresses of its own
                affiliate("n1", "KEY", "fd00::1", List.of("10.0.0.1"), List.of()),
                affiliate("n2", "KEY", "fd00::2", List.of("10.0.0.2"), List.of())));
    assertThat(result.peers()).extracting(PeerSpec::affiliateId).containsExactly("a");
    assertThat(result.warnings()).extracting(PeerSpecWarning::affiliateId).containsExactly("n1", "n2");
    assertThat(result.warnings().get(1).message()).contains("already used");
  }

  @Test
  void endpointsKeepTheirOrderAndCarryAProvenanceByTheDocumentedRule() {
    var result =
        PeerSpecs.compute(
            "ME",
            List.of(
                affiliate(
                    "a",
                    "KEY-A",
                    "fd00::a",
                    List.of("192.168.1.10", "2001:db8::10"),
                    List.of(),
                    "192.168.1.10:51820",
                    "[2001:db8::10]:51820",
                    "203.0.113.7:51820",
                    "203.0.113.7:40123",
                    "192.168.1.10:51820")));
    assertThat(result.peers().get(0).endpoints())
        .extracting(PeerEndpoint::toString)
        .containsExactly(
            "192.168.1.10:51820 (advertised)",
            "[2001:db8::10]:51820 (advertised)",
            "203.0.113.7:51820 (public-ip)",
            "203.0.113.7:40123 (harvested)");
  }

  @Test
  void withoutAnyAdvertisedEndpointTheSourceOfOthersIsUnknown() {
    var result =
        PeerSpecs.compute(
            "ME", List.of(affiliate("a", "KEY-A", "fd00::a", List.of("10.0.0.1"), List.of(), "198.51.100.1:51820")));
    assertThat(result.peers().get(0).endpoints().get(0).source()).isEqualTo(EndpointSource.UNKNOWN);
  }
}
