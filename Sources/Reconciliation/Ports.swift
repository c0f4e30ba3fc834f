import Projections
import ZoomModel

/// Zoom's own record of a past meeting instance's participants (Dashboard API, else Report API).
public protocol ZoomRecordSource: Sendable {
    /// Every participant session of the instance, and which API gave them (`dashboard`/`report`).
    func participants(instance: String) async throws -> (records: [ZoomEvent.Participant], source: String)
}

/// What reconciliation reads and writes in the store.
public protocol ReconcileStore: Sendable {
    /// Instances due: ended at least `endedBefore` ago, or silent (no end, nothing changed) since
    /// `silentBefore`, and not reconciled yet; oldest first, at most `limit`.
    func due(endedBefore: BSONDate, silentBefore: BSONDate, limit: Int) async throws -> [ZoomEvent.Meeting]
    /// One instance as the projections know it (nil when unknown).
    func meeting(instance: String) async throws -> ZoomEvent.Meeting?
    /// Every join and leave known for the instance.
    func facts(instance: String) async throws -> [AttendanceFact]
    /// Records that reconciliation ran (the instance is no longer due).
    func record(_ quality: CollectionQuality, instance: String) async throws
}
