package io.spanlog.events;

/**
 * The payload of an event: one immutable fact. Each implementation is registered in
 * {@link EventType} with its wire name and schema version.
 */
public sealed interface Event
    permits AffiliateUpdated,
        AffiliateDeleted,
        AffiliateExpired,
        EndpointsExpired,
        HandshakeSampleBatch,
        SealedSampleBatch,
        LinkStateChanged,
        EndpointObserved,
        LinkFlapping,
        LinkFlappingCleared,
        LinkAsymmetric,
        LinkAsymmetryCleared,
        NodeSilent,
        NodeReportingAgain,
        LinkMetricsWindow,
        ReachabilityChanged,
        PeerSpecDrift,
        PeerSpecDriftCleared {}
