import Backfill
import Foundation
import LookoutCore
import Projections
import ZoomModel
import ZoomWebhooks

/// What reconciling one ended meeting instance against Zoom's own record adds: the joins and
/// leaves the webhook stream missed, as events (source `reconcile`) keyed like the webhooks of the
/// same facts, and the instance's collection-quality record. Pure: the reconciler fetches, calls
/// this, publishes and records.
///
/// For each join or leave of Zoom's record (docs/reconciliation.md):
/// - the same fact is known (same key: instance, connection, kind, time) → nothing;
/// - the same person (name) has a fact of the same kind at the same time under another connection
///   (Zoom's Report API has no `participant_uuid`) → nothing;
/// - the same person has a fact of the same kind within `tolerance` → a **conflict**: the known fact
///   is kept (webhooks carry Zoom's own event time; the reports round and merge), counted;
/// - else → **filled**: published.
public struct ReconciliationPlan: Sendable {
    public let instance: String
    public let fill: [EventMessage]
    public let quality: CollectionQuality

    public static func make(meeting: ZoomEvent.Meeting, records: [ZoomEvent.Participant], known: [AttendanceFact],
                            source: String, tolerance: Duration, accountID: String, now: Date) throws -> ReconciliationPlan {
        let toleranceMS = tolerance.wholeMilliseconds
        let knownIDs = Set(known.map(\.id))
        let byPerson = Dictionary(grouping: known.filter { $0.kind == .join || $0.kind == .leave }, by: \.group)
        var fill: [EventMessage] = []
        var sessionsFilled = 0
        var conflicts = 0
        for record in records {
            let events = try BackfillEvents.attendance(meeting: meeting, record: record, accountID: accountID,
                                                       source: .reconcile, receivedAt: now)
            let person = Identity.person(meetingID: meeting.id, name: record.name ?? record.attendee ?? "")
            var filledHere = false
            for event in events where !knownIDs.contains(event.messageID) {
                let kind: AttendanceFact.Kind = event.routingKey == ZoomEventName.participantJoined ? .join : .leave
                guard let time = kind == .join ? record.joinTime : record.leaveTime else { continue }
                let at = BSONDate(time).milliseconds
                let nearest = byPerson[person, default: []].filter { $0.kind == kind }
                    .map { abs($0.at.milliseconds - at) }.min()
                switch nearest {
                case 0?: continue
                case let distance? where distance <= toleranceMS: conflicts += 1
                default:
                    fill.append(event)
                    filledHere = true
                }
            }
            if filledHere { sessionsFilled += 1 }
        }
        let quality = CollectionQuality(sessionsSeen: known.count { $0.kind == .join }, sessionsFilled: sessionsFilled,
                                        factsFilled: fill.count, conflicts: conflicts, source: source, reconciledAt: BSONDate(now))
        return ReconciliationPlan(instance: meeting.instance, fill: fill, quality: quality)
    }

    /// `lookout.reconcile.repaired`, for the notifier's "filled in" line; nil when nothing was
    /// filled. Keyed by the instance and what was filled, so a repeated run publishes the same one.
    public func repairSummary(meeting: ZoomEvent.Meeting, accountID: String, now: Date) throws -> EventMessage? {
        guard !fill.isEmpty else { return nil }
        let repair = ZoomEvent.Repair(sessionsFilled: quality.sessionsFilled, factsFilled: quality.factsFilled,
                                      conflicts: quality.conflicts, source: quality.source)
        let event = ZoomEvent(name: ZoomEventName.dataRepaired, eventTS: quality.reconciledAt.milliseconds, accountID: accountID,
                              meeting: meeting, repair: repair)
        let key = IdempotencyKey.of(Array("repaired\n\(instance)\n\(fill.map(\.messageID).sorted().joined(separator: ","))".utf8))
        return EventMessage(routingKey: ZoomEventName.dataRepaired, body: try event.encoded(), messageID: key,
                            receivedAt: now, source: .reconcile)
    }
}
