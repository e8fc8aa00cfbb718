/**
 * The operator CLI's pieces: reading a node agent's status API ({@link io.spanlog.ctl.NodeViews})
 * or the endpoint observer's read API ({@link io.spanlog.ctl.ObserverQuery}, over HTTP: no Kafka
 * Streams here) and printing views as talosctl-style tables ({@link io.spanlog.ctl.Table}).
 */
package io.spanlog.ctl;
