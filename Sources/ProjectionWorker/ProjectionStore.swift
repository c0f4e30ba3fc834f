import EventStore
import Projections

/// Where projections live: one document per meeting instance holding its facts and what they
/// project to (`Projector.InstanceProjection`), and the quality alerts. Every write is idempotent
/// or guarded, so a batch may be retried whole.
public protocol ProjectionStore: ProjectionReader {
    func prepare() async throws(StoreError)
    /// Merges each instance's lifecycle, timeline and facts into its document (`InstanceMerge`:
    /// commutative, repeats ignored) and inserts the alerts.
    func record(_ inputs: [ProjectionInput], merges: [InstanceMerge]) async throws(StoreError)
    /// The facts of these instances, as recorded.
    func instances(_ ids: [String]) async throws(StoreError) -> [Projector.InstanceFacts]
    /// Writes recomputed projections, each only if computed from more facts than the stored one.
    func save(_ projections: [Projector.InstanceProjection]) async throws(StoreError)
    /// Of these incidents, those not announced yet.
    func unannounced(_ incidents: [CollectiveIncident]) async throws(StoreError) -> [CollectiveIncident]
    func markAnnounced(_ incidents: [CollectiveIncident]) async throws(StoreError)
    /// Bumps a change marker after projections changed, so readers (the web dashboard) learn of
    /// changes with one cheap read instead of re-reading the projections.
    func markChanged() async throws(StoreError)
    /// Drops every projection (not the facts' source, the `events` collection) before a rebuild.
    func reset() async throws(StoreError)
}
