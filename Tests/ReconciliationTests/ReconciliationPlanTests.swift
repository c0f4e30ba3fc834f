import Foundation
import LookoutCore
import Projections
@testable import Reconciliation
import Testing
import ZoomModel

@Suite struct ReconciliationPlanTests {
    let meeting = ZoomEvent.Meeting(id: "86712345678", uuid: "4444AAAiAAAAAiAiAiiAii==", topic: "Chemistry 2B")
    let t0 = Date(timeIntervalSince1970: 1_788_080_400)

    /// A Dashboard API row: one session of one connection.
    func row(_ name: String, uuid: String?, userID: String, from: Int, to: Int?) -> ZoomEvent.Participant {
        var row = ZoomEvent.Participant(name: name, userID: userID, participantUUID: uuid,
                                        joinTime: t0 + Double(from), leaveTime: to.map { t0 + Double($0) })
        row.status = "in_meeting"
        return row
    }

    /// What the projections hold after the webhook of this join or leave.
    func fact(_ name: String, uuid: String, _ kind: AttendanceFact.Kind, at seconds: Int) -> AttendanceFact {
        let at = BSONDate(t0 + Double(seconds))
        return AttendanceFact(id: AttendanceFact.key(instance: meeting.instance, attendee: uuid, kind: kind, at: at),
                              meetingID: meeting.id, meetingUUID: meeting.uuid, attendee: uuid, participantUUID: uuid,
                              name: name, kind: kind, at: at)
    }

    func plan(_ records: [ZoomEvent.Participant], known: [AttendanceFact]) throws -> ReconciliationPlan {
        try ReconciliationPlan.make(meeting: meeting, records: records, known: known, source: "dashboard",
                                    tolerance: .seconds(60), accountID: "A", now: t0 + 7200)
    }

    @Test func onlyTheMissingJoinsAndLeavesAreFilledKeyedLikeTheirWebhooks() throws {
        let records = [row("Ana", uuid: "u-ana", userID: "1", from: 0, to: 3000),
                       row("Ben", uuid: "u-ben", userID: "2", from: 10, to: 2900),
                       row("Chen", uuid: "u-chen", userID: "3", from: 20, to: 3000)]
        // Ana complete; Ben's join never came; nothing at all of Chen.
        let known = [fact("Ana", uuid: "u-ana", .join, at: 0), fact("Ana", uuid: "u-ana", .leave, at: 3000),
                     fact("Ben", uuid: "u-ben", .leave, at: 2900)]
        let plan = try plan(records, known: known)
        #expect(plan.fill.map(\.routingKey) == ["meeting.participant_joined", "meeting.participant_joined", "meeting.participant_left"])
        #expect(plan.fill.allSatisfy { $0.source == .reconcile })
        // The key a webhook of the same join would have had.
        #expect(plan.fill[0].messageID == fact("Ben", uuid: "u-ben", .join, at: 10).id)
        #expect(plan.quality == CollectionQuality(sessionsSeen: 1, sessionsFilled: 2, factsFilled: 3, conflicts: 0,
                                                  source: "dashboard", reconciledAt: BSONDate(t0 + 7200)))
        // A second run, once the filled facts are projected, adds nothing.
        let filled = try plan.fill.map { event -> AttendanceFact in
            guard case .attendance(let fact, _) = try ProjectionInput.from(body: event.body, id: event.messageID, rules: ProjectionRules()) else {
                throw CocoaError(.coderInvalidValue)
            }
            return fact
        }
        #expect(filled.map(\.id) == plan.fill.map(\.messageID))
        #expect(try self.plan(records, known: known + filled).fill.isEmpty)
    }

    @Test func aReportRowWithoutParticipantUUIDMatchesTheWebhookOfTheSamePersonAndTime() throws {
        // The Report API has no participant_uuid and a user_id of its own.
        let report = [row("Ana", uuid: nil, userID: "16778241", from: 0, to: 3000)]
        let known = [fact("Ana", uuid: "u-ana", .join, at: 0), fact("Ana", uuid: "u-ana", .leave, at: 3000)]
        let plan = try plan(report, known: known)
        #expect(plan.fill.isEmpty)
        #expect(plan.quality.conflicts == 0)
    }

    @Test func aTimeThatDiffersWithinTheToleranceIsAConflictAndTheKnownFactIsKept() throws {
        let records = [row("Ana", uuid: "u-ana", userID: "1", from: 2, to: 3000)]
        let known = [fact("Ana", uuid: "u-ana", .join, at: 0), fact("Ana", uuid: "u-ana", .leave, at: 3000)]
        let plan = try plan(records, known: known)
        #expect(plan.fill.isEmpty)
        #expect(plan.quality.conflicts == 1)
        // Beyond the tolerance it is another session, filled in.
        #expect(try self.plan([row("Ana", uuid: "u-ana", userID: "1", from: 600, to: 700)], known: known).fill.count == 2)
    }

    @Test func waitingRoomRowsAreNotAttendance() throws {
        var waiting = row("Dana", uuid: "u-dana", userID: "4", from: -60, to: 0)
        waiting.status = "in_waiting_room"
        #expect(try plan([waiting], known: []).fill.isEmpty)
    }

    @Test func aFailedInstanceWaitsWithBackoffAndTheOthersGoOn() {
        var book = FailureBook(retry: RetryPolicy(initial: .seconds(60), maximum: .seconds(3600)))
        let now = ContinuousClock.now
        #expect(book.mayTry("a", now: now))
        let wait = book.failed("a", now: now)
        #expect(wait >= .seconds(30) && wait <= .seconds(60))
        #expect(!book.mayTry("a", now: now + .seconds(1)))
        #expect(book.mayTry("b", now: now + .seconds(1)))
        #expect(book.mayTry("a", now: now + wait))
        book.succeeded("a")
        #expect(book.mayTry("a", now: now))
    }
}
