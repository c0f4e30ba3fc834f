/// Projection documents read from the store: all of them, or those changed since some time.
/// Incidents come per meeting instance (the unit written), so an instance whose incidents changed
/// replaces all of its incidents; disconnections come inside their person's presence.
public struct ProjectionChanges: Sendable, Equatable {
    public var presence: [ParticipantPresence]
    public var incidents: [MeetingIncidents]
    public var meetings: [MeetingSummary]
    public var alerts: [QualityAlert]

    public init(presence: [ParticipantPresence] = [], incidents: [MeetingIncidents] = [], meetings: [MeetingSummary] = [],
                alerts: [QualityAlert] = []) {
        self.presence = presence
        self.incidents = incidents
        self.meetings = meetings
        self.alerts = alerts
    }

    public var count: Int { presence.count + incidents.count + meetings.count + alerts.count }
}

/// What the exports show, kept in memory by `_id`: filled by one full read, then changed by the
/// documents changed since, so an export costs what changed, not everything ever projected.
/// A document read later replaces the one read before (the store's documents only move forward:
/// guarded replacements, commutative merges). Documents are never removed: the store deletes
/// projections only in a rebuild, after which the writer reads everything again.
public struct ExportTable: Sendable, Equatable {
    private var presence: [String: ParticipantPresence] = [:]
    private var incidents: [String: MeetingIncidents] = [:]
    private var meetings: [String: MeetingSummary] = [:]
    private var alerts: [String: QualityAlert] = [:]

    public init(_ everything: ProjectionChanges = ProjectionChanges()) {
        apply(everything)
    }

    public mutating func apply(_ changes: ProjectionChanges) {
        for row in changes.presence { presence[row.id] = row }
        for row in changes.incidents { incidents[row.id] = row }
        for row in changes.meetings { meetings[row.id] = row }
        for row in changes.alerts { alerts[row.id] = row }
    }

    /// Every row, in `_id` order (the renderers sort what they show; this fixes the order of ties).
    public var snapshot: ProjectionSnapshot {
        ProjectionSnapshot(
            presence: presence.values.sorted { $0.id < $1.id },
            incidents: incidents.values.sorted { $0.id < $1.id }.flatMap(\.incidents),
            meetings: meetings.values.sorted { $0.id < $1.id },
            alerts: alerts.values.sorted { $0.id < $1.id })
    }
}
