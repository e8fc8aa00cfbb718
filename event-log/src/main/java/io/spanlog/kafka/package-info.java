/**
 * The Kafka plumbing services share: envelope serdes, dead-letter routing and the topic
 * installer.
 *
 * <p>Depends on event-model and the Kafka clients only: never on the broker, on gRPC or on a
 * service.
 */
package io.spanlog.kafka;
