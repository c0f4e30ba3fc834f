import LookoutCore
import Projections

/// Where projections live. Every write is idempotent or guarded, so a batch may be retried whole.
public protocol ProjectionStore: ProjectionReader {
    func prepare() async throws(StoreError)
    /// Inserts the facts (duplicates ignored), merges meeting instances (lifecycle and timeline,
    /// `InstanceMerge`) and alerts.
    func record(_ inputs: [ProjectionInput], merges: [InstanceMerge]) async throws(StoreError)
    /// All facts of what a batch touched.
    func facts(for touched: Projector.Touched) async throws(StoreError) -> ProjectionFacts
    /// Writes recomputed documents, each only if computed from more facts than the stored one.
    func save(_ update: Projector.Update) async throws(StoreError)
    /// Of these incidents, those not announced yet.
    func unannounced(_ incidents: [CollectiveIncident]) async throws(StoreError) -> [CollectiveIncident]
    func markAnnounced(_ incidents: [CollectiveIncident]) async throws(StoreError)
    /// Bumps a change marker after projections changed, so readers (the web dashboard) learn of
    /// changes with one cheap read instead of re-reading the projections (`changeVersion()`).
    func markChanged() async throws(StoreError)
    /// Drops every projection (not the facts' source, the `events` collection) before a rebuild.
    func reset() async throws(StoreError)
}

public struct ProjectionFacts: Sendable {
    public var groupFacts: [AttendanceFact] = []
    /// The timeline of every touched meeting instance (`InstanceTimeline`).
    public var timelines: [Projector.Timeline] = []
    public init() {}
}
