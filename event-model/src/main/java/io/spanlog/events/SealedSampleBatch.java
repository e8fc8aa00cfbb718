package io.spanlog.events;

import java.util.Objects;

/**
 * One node's handshake-sample batch as the agent sealed it with its cluster secret ({@link
 * io.spanlog.telemetry.TelemetrySeal}): the discovery service that appends it cannot read it, and
 * nobody without the secret can forge one. What stays readable is what routing needs; the
 * cluster id is the envelope's. All of it is bound into the seal as associated data, so a batch
 * moved to another cluster id or another node's key no longer opens.
 *
 * @param nodePublicKey the reporting node's WireGuard public key (also the envelope's subject)
 * @param schema the schema major of the {@code handshake.sample-batch} payload inside
 * @param sealed {@code version(1) ‖ key id(8) ‖ nonce(12) ‖ ciphertext ‖ tag(16)}, base64 in JSON
 */
public record SealedSampleBatch(String nodePublicKey, int schema, Blob sealed) implements Event {
  public SealedSampleBatch {
    Objects.requireNonNull(nodePublicKey, "nodePublicKey");
    Objects.requireNonNull(sealed, "sealed");
  }
}
