import Projections

/// The one way projections are updated, by the worker and by a rebuild alike: facts first, then
/// every document the inputs touched is recomputed from its facts, the change marker is bumped, then
/// new incidents are announced.
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
        let touched = Projector.touched(by: inputs)
        var incidents: [CollectiveIncident] = []
        if !touched.isEmpty {
            let facts = try await store.facts(for: touched)
            let update = Projector.update(groupFacts: facts.groupFacts, timelines: facts.timelines, rules: rules)
            try await store.save(update)
            incidents = update.incidents.flatMap(\.incidents)
        }
        if inputs.contains(where: { $0.lifecycle != nil }) { try await store.markChanged() }
        guard let announcer, !incidents.isEmpty else { return [] }
        let fresh = try await store.unannounced(incidents)
        for incident in fresh { try await announcer.announce(incident) }
        try await store.markAnnounced(fresh)
        return fresh
    }
}
