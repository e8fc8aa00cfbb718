/**
 * {@code spanlog demo}: the harness that links everything into one running mesh on one machine.
 *
 * <p>It is the only code that depends on several services at once (infra's embedded broker, the
 * discovery-projector, node-agent): services are kept independent of each other, and
 * this package is deliberately outside that rule, as an operator tool that runs them side by
 * side. It starts or attaches to the broker on 127.0.0.1:9092, starts the discovery service and
 * N agents, either as child JVMs in network namespaces on real wireguard-go ({@link
 * io.spanlog.demo.NamespaceMesh}, on mesh-lab's {@code NetnsLab}) or in this JVM on simulated devices ({@link
 * io.spanlog.demo.MemoryMesh}, always labelled "simulated"), and prints their status APIs as
 * tables ({@link io.spanlog.ctl.MeshTables}).
 */
package io.spanlog.demo;
