package io.spanlog.agent.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spanlog.agent.config.DiscoveryTarget;
import io.spanlog.net.IpText;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DiscoveryRotationTest {
  private static final DiscoveryTarget A = DiscoveryTarget.parse("http://10.0.0.1:3000/");
  private static final DiscoveryTarget B = DiscoveryTarget.parse("http://10.0.0.2:3000/");
  private static final DiscoveryTarget NAMED = DiscoveryTarget.parse("https://discovery.example/");

  @Test
  void aFailureMovesToTheNextEndpointAtOnceAndBacksOffOnlyAfterAFullRound() {
    var rotation = new DiscoveryRotation(List.of(A, B));
    assertThat(rotation.place()).isEqualTo(new DiscoveryRotation.Place(A, Optional.empty()));
    assertThat(rotation.needsResolving()).as("an IP literal").isFalse();
    assertThat(rotation.next()).as("B not tried yet: no backoff").isFalse();
    assertThat(rotation.target()).isEqualTo(B);
    assertThat(rotation.next()).as("A and B both failed: back off").isTrue();
    assertThat(rotation.target()).isEqualTo(A);

    // B works, then fails: A is tried at once; a round now starts at B
    rotation.next();
    rotation.worked();
    assertThat(rotation.next()).isFalse();
    assertThat(rotation.target()).isEqualTo(A);
    assertThat(rotation.next()).isTrue();
    assertThat(rotation.target()).isEqualTo(B);
  }

  @Test
  void aSingleEndpointBacksOffAfterEveryFailureAsBefore() {
    var rotation = new DiscoveryRotation(List.of(A));
    assertThat(rotation.next()).isTrue();
    assertThat(rotation.next()).isTrue();
    assertThat(rotation.target()).isEqualTo(A);
  }

  @Test
  void aNameStandsForEachOfItsAddressesResolvedAfreshEachRound() {
    var rotation = new DiscoveryRotation(List.of(NAMED, A));
    assertThat(rotation.needsResolving()).isTrue();
    rotation.resolved(List.of(IpText.parse("192.0.2.1"), IpText.parse("192.0.2.2")));
    assertThat(rotation.needsResolving()).isFalse();
    assertThat(rotation.place().address()).contains(IpText.parse("192.0.2.1"));
    assertThat(rotation.place().toString()).isEqualTo("https://discovery.example:443/ (192.0.2.1)");
    assertThat(rotation.next()).isFalse();
    assertThat(rotation.place()).isEqualTo(new DiscoveryRotation.Place(NAMED, Optional.of(IpText.parse("192.0.2.2"))));
    assertThat(rotation.next()).isFalse();
    assertThat(rotation.place()).isEqualTo(new DiscoveryRotation.Place(A, Optional.empty()));
    assertThat(rotation.next()).isTrue();
    assertThat(rotation.target()).isEqualTo(NAMED);
    assertThat(rotation.needsResolving()).as("resolved again in the new round").isTrue();
  }

  @Test
  void aRedirectLastsUntilItFailsThenTheNextConfiguredEndpointIsTried() {
    var rotation = new DiscoveryRotation(List.of(A, B));
    DiscoveryTarget elsewhere = DiscoveryTarget.parse("http://10.9.9.9:3000/");
    rotation.redirect(elsewhere);
    assertThat(rotation.target()).isEqualTo(elsewhere);
    assertThat(rotation.next()).isFalse();
    assertThat(rotation.target()).isEqualTo(B);
  }

  @Test
  void noEndpointIsAnError() {
    assertThatThrownBy(() -> new DiscoveryRotation(List.of())).hasMessage("no discovery endpoint");
  }
}
