/**
 * The network-namespace lab: several Spanlog nodes on one Linux machine, as root, each in its
 * own network namespace (two underlay links, a private {@code /run/wireguard}) running a real
 * node agent on wireguard-go ({@link io.spanlog.agent.netns.NetnsLab}, {@link
 * io.spanlog.agent.netns.NamespaceAgent}, configs from {@link io.spanlog.agent.netns.LabConfigs},
 * status APIs read through {@link io.spanlog.agent.netns.NamespaceHttp}).
 *
 * <p>Test and demo machinery only: the end-to-end tests, the real-WireGuard benches and the
 * demo use it. It depends on node-agent (whose config generator and command runner it reuses);
 * node-agent and the other services must never depend on it, so none of this ships in an
 * agent's jar. The package keeps the agent's name prefix because it drives agents, not because
 * it belongs to their module.
 */
package io.spanlog.agent.netns;
