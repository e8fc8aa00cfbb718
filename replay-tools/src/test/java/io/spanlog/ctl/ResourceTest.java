package io.spanlog.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResourceTest {

  @Test
  void talosctlNamesAndShortNamesPickTheSameView() {
    for (String name : new String[] {"peerstatuses", "kubespanpeerstatuses", "KubeSpanPeerStatuses", "peerstatus", "ps"}) {
      assertThat(Resource.parse(name)).as(name).contains(Resource.PEERSTATUSES);
    }
    assertThat(Resource.parse("kubespanidentities")).contains(Resource.IDENTITIES);
    assertThat(Resource.parse("kubespanpeerspecs")).contains(Resource.PEERSPECS);
    assertThat(Resource.parse("kubespanendpoints")).contains(Resource.ENDPOINTS);
  }

  @Test
  void anUnknownNameIsNoResourceAndTheValidOnesCanBeListed() {
    assertThat(Resource.parse("peers")).isEmpty();
    assertThat(Resource.valid()).isEqualTo("identities, peerspecs, peerstatuses, endpoints");
  }

  @Test
  void eachResourceIsOneStatusApiView() {
    assertThat(Resource.PEERSTATUSES.path()).isEqualTo("/v1/peerstatuses");
    assertThat(Resource.IDENTITIES.path()).isEqualTo("/v1/identity");
  }
}
