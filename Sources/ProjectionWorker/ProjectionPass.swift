import Projections

/// The one way projections are updated, by the worker and by a rebuild alike: facts first (merged
/// into their instances' documents), then every instance the inputs touched is recomputed from
/// its facts and written once, the change marker is bumped, then new incidents are announced.
/// Every step is idempotent, so a retried or redelivered batch changes nothing twice.
public struct ProjectionPass: Sendable {
    let store: any ProjectionStore
    let rules: ProjectionRules
    let announcer: (any IncidentAnnouncer)?

    public init(store: any ProjectionStore, rules: ProjectionRules, announcer: (any IncidentAnnouncer)?) {
        self.store = store
        self.rules = rules
        self.announcer = announcer
    }

    /// Returns the incidents announced by this pass.
    @discardableResult
    public func apply(_ inputs: [ProjectionInput]) async throws -> [CollectiveIncident] {
        try await store.record(inputs, merges: InstanceMerge.of(inputs, rules: rules.leaves))
        let touched = Projector.touchedInstances(by: inputs)
        var incidents: [CollectiveIncident] = []
        if !touched.isEmpty {
            let projections = try await store.instances(touched).map { Projector.project($0, rules: rules) }
            try await store.save(projections)
            incidents = projections.flatMap(\.incidents)
        }
        if inputs.contains(where: { $0.lifecycle != nil }) { try await store.markChanged() }
        guard let announcer, !incidents.isEmpty else { return [] }
        let fresh = try await store.unannounced(incidents)
        for incident in fresh { try await announcer.announce(incident) }
        try await store.markAnnounced(fresh)
        return fresh
    }
}
