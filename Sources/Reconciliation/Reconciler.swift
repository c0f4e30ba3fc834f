import Foundation
import Logging
import LookoutCore
import Metrics
import Projections
import ZoomModel

/// Reconciles one instance: reads Zoom's record and what is known, publishes what is missing
/// (confirmed by the broker), then records the collection quality. A crash between the two
/// publishes the same keyed events again on the next run, which changes nothing.
public struct Reconciler: Sendable {
    let records: any ZoomRecordSource
    let store: any ReconcileStore
    let publisher: any EventPublisher
    let accountID: String
    let tolerance: Duration
    let logger: Logger

    public init(records: any ZoomRecordSource, store: any ReconcileStore, publisher: any EventPublisher, accountID: String,
                tolerance: Duration = .seconds(60), logger: Logger) {
        self.records = records
        self.store = store
        self.publisher = publisher
        self.accountID = accountID
        self.tolerance = tolerance
        self.logger = logger
    }

    @discardableResult
    public func reconcile(_ meeting: ZoomEvent.Meeting, now: Date = Date()) async throws -> CollectionQuality {
        let (records, source) = try await records.participants(instance: meeting.instance)
        let known = try await store.facts(instance: meeting.instance)
        let plan = try ReconciliationPlan.make(meeting: meeting, records: records, known: known, source: source,
                                               tolerance: tolerance, accountID: accountID, now: now)
        for event in plan.fill { try await publisher.publish(event) }
        if let summary = try plan.repairSummary(meeting: meeting, accountID: accountID, now: now) { try await publisher.publish(summary) }
        try await store.record(plan.quality, instance: plan.instance)
        Counter(label: "lookout_reconcile_instances_total").increment()
        Counter(label: "lookout_reconcile_facts_filled_total").increment(by: plan.quality.factsFilled)
        Counter(label: "lookout_reconcile_conflicts_total").increment(by: plan.quality.conflicts)
        let level: Logger.Level = plan.fill.isEmpty ? .info : .notice
        logger.log(level: level, "meeting reconciled with Zoom's record", metadata: [
            "instance": "\(plan.instance)", "meeting_id": "\(meeting.id)", "source": "\(source)",
            "sessions_seen": "\(plan.quality.sessionsSeen)", "sessions_filled": "\(plan.quality.sessionsFilled)",
            "facts_filled": "\(plan.quality.factsFilled)", "conflicts": "\(plan.quality.conflicts)"])
        return plan.quality
    }
}
