/**
 * The mesh's history from the Kafka log, for {@code ctl history}: {@code time} (the TIME
 * grammar), {@code read} (a bounded log reader), {@code checkpoint} (the newest checkpoint before
 * an instant), {@code state} (a cluster's discovery state, peer specs and links at an instant,
 * with the same pure folds the services run). Links no service's code.
 */
package io.spanlog.history;
