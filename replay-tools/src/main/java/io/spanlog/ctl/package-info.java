/**
 * The operator CLI's pieces: reading a node agent's status API ({@link io.spanlog.ctl.NodeViews})
 * and printing views as talosctl-style tables ({@link io.spanlog.ctl.Table}).
 */
package io.spanlog.ctl;
