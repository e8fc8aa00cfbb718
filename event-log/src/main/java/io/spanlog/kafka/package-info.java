/**
 * The Kafka plumbing services share: envelope serdes, dead-letter routing, the topic installer,
 * and {@link io.spanlog.kafka.DefaultKafka}, through which a service given no bootstrap servers
 * finds the local default broker.
 *
 * <p>Depends on event-model and the Kafka clients only: never on the broker (infra provides
 * DefaultKafka at run time), on gRPC or on a service.
 */
package io.spanlog.kafka;
