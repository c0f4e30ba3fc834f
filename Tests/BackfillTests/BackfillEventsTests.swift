import Backfill
import Foundation
import LookoutCore
import Projections
import Testing
import ZoomAPI
import ZoomModel
import ZoomWebhooks

/// Alan Turing's network drop in ops/demo/events.jsonl, as the webhooks carried it.
private let webhookJoin = #"{"event":"meeting.participant_joined","event_ts":1795334491000,"payload":{"account_id":"DemoAccount01","object":{"id":"85012345678","uuid":"Dm0LookoutDemoMtg==","host_id":"hDemoHost01","topic":"Biology 101 — Demo lecture","type":2,"start_time":"2026-11-22T08:00:00Z","timezone":"Europe/Paris","duration":60,"participant":{"user_id":"16780288","user_name":"Alan Turing","id":"","participant_uuid":"u-alan","email":"","join_time":"2026-11-22T08:01:31Z"}}}}"#
private let webhookLeave = #"{"event":"meeting.participant_left","event_ts":1795335635000,"payload":{"account_id":"DemoAccount01","object":{"id":"85012345678","uuid":"Dm0LookoutDemoMtg==","host_id":"hDemoHost01","topic":"Biology 101 — Demo lecture","type":2,"start_time":"2026-11-22T08:00:00Z","timezone":"Europe/Paris","duration":60,"participant":{"user_id":"16780288","user_name":"Alan Turing","id":"","participant_uuid":"u-alan","email":"","leave_time":"2026-11-22T08:20:35Z","leave_reason":"Alan Turing got disconnected from the meeting. Reason : Network connection error."}}}}"#

private let meeting = ZoomEvent.Meeting(id: "85012345678", uuid: "Dm0LookoutDemoMtg==", topic: "Biology 101 — Demo lecture",
                                        startTime: ZoomTime.parse("2026-11-22T08:00:00Z"), endTime: ZoomTime.parse("2026-11-22T09:00:00Z"))

private func alan() -> ZoomEvent.Participant {
    var record = ZoomEvent.Participant()
    record.userID = "16780288"
    record.participantUUID = "u-alan"
    record.name = "Alan Turing"
    record.joinTime = ZoomTime.parse("2026-11-22T08:01:31Z")
    record.leaveTime = ZoomTime.parse("2026-11-22T08:20:35Z")
    record.leaveReason = "Alan Turing got disconnected from the meeting. Reason : Network connection error."
    record.networkType = "Wifi"
    record.audioQuality = "bad"
    record.device = "Mac"
    return record
}

private func fact(_ body: [UInt8], id: String) throws -> AttendanceFact? {
    guard case .attendance(let fact, _) = try ProjectionInput.from(body: body, id: id, rules: ProjectionRules()) else { return nil }
    return fact
}

@Suite struct BackfillEventsTests {
    @Test func aParticipantRecordBecomesTheWebhooksOfItsJoinAndLeave() throws {
        let events = try BackfillEvents.events(meeting: meeting, participants: [alan()], accountID: "DemoAccount01")
        #expect(events.map(\.routingKey) == ["meeting.started", "meeting.participant_joined", "meeting.participant_left", "meeting.ended"])
        #expect(events.allSatisfy { $0.source == .backfill })
        for event in events {
            #expect(try WebhookEnvelope.decode(Data(event.body)).event == event.routingKey)
        }
        let left = try #require(JSONSerialization.jsonObject(with: Data(events[2].body)) as? [String: Any])
        let object = try #require((left["payload"] as? [String: Any])?["object"] as? [String: Any])
        let participant = try #require(object["participant"] as? [String: Any])
        #expect(participant["leave_reason"] as? String == alan().leaveReason)
        #expect(participant["network_type"] as? String == "Wifi")
        #expect(participant["audio_quality"] as? String == "bad")
        #expect(participant["join_time"] == nil)
        #expect(left["event_ts"] as? Int64 == 1_795_335_635_000)
    }

    /// The point of the key scheme: the projections see one fact whichever channel delivered it.
    @Test func backfilledFactsEqualTheWebhookFactsOfTheSameJoinAndLeave() throws {
        let events = try BackfillEvents.events(meeting: meeting, participants: [alan()], accountID: "DemoAccount01")
        let fromBackfill = try events.compactMap { try fact($0.body, id: $0.messageID) }
        let fromWebhooks = try [webhookJoin, webhookLeave].compactMap { try fact(Array($0.utf8), id: IdempotencyKey.of(Array($0.utf8))) }
        #expect(fromBackfill.count == 2)
        #expect(fromBackfill.map(\.id) == fromWebhooks.map(\.id))
        #expect(fromBackfill.map(\.at) == fromWebhooks.map(\.at))
        #expect(fromBackfill.map(\.leaveReason) == fromWebhooks.map(\.leaveReason))
        // The backfill's message id is that fact id, so the store also keeps one per backfilled join.
        #expect(events[1...2].map(\.messageID) == fromWebhooks.map(\.id))
    }

    @Test func keysAreDeterministicAndDistinct() throws {
        let first = try BackfillEvents.events(meeting: meeting, participants: [alan()], accountID: "A")
        let again = try BackfillEvents.events(meeting: meeting, participants: [alan()], accountID: "A", receivedAt: Date(timeIntervalSince1970: 0))
        #expect(first.map(\.messageID) == again.map(\.messageID))
        #expect(first.map(\.body) == again.map(\.body))
        #expect(Set(first.map(\.messageID)).count == first.count)
        var later = alan()
        later.leaveTime = ZoomTime.parse("2026-11-22T08:20:36Z")
        let moved = try BackfillEvents.events(meeting: meeting, participants: [later], accountID: "A")
        #expect(moved[1].messageID == first[1].messageID)
        #expect(moved[2].messageID != first[2].messageID)
    }

    @Test func incompleteRecordsGiveWhatIsKnown() throws {
        var inRoom = alan()
        inRoom.leaveTime = nil
        var nobody = alan()
        nobody.participantUUID = ""
        nobody.userID = nil
        nobody.name = ""
        let unfinished = ZoomEvent.Meeting(id: "1", uuid: "u", startTime: ZoomTime.parse("2026-11-22T08:00:00Z"))
        let events = try BackfillEvents.events(meeting: unfinished, participants: [inRoom, nobody], accountID: "A")
        #expect(events.map(\.routingKey) == ["meeting.started", "meeting.participant_joined"])
    }

    @Test func peopleInTheWaitingRoomAreNotAttendance() throws {
        var waiting = alan()
        waiting.status = "in_waiting_room"
        waiting.participantUUID = "u-waiting"
        var inMeeting = alan()
        inMeeting.status = "in_meeting"
        let events = try BackfillEvents.events(meeting: meeting, participants: [waiting, inMeeting], accountID: "A")
        #expect(events.map(\.routingKey) == ["meeting.started", "meeting.participant_joined", "meeting.participant_left", "meeting.ended"])
        #expect(!events.contains { String(decoding: $0.body, as: UTF8.self).contains("u-waiting") })
    }

    /// The Report API's row of Alan's stay: no participant_uuid, no leave_reason, its own user_id.
    static func reportRow() -> ZoomEvent.Participant {
        var row = ZoomEvent.Participant()
        row.userID = "16780288"
        row.name = "Alan Turing"
        row.email = "alan@example.org"
        row.joinTime = ZoomTime.parse("2026-11-22T08:01:31Z")
        row.leaveTime = ZoomTime.parse("2026-11-22T08:20:35Z")
        row.status = "in_meeting"
        return row
    }

    @Test func aReportRowIsKeyedLikeTheWebhooksOfTheSameJoinWhenTheyAreKnown() throws {
        let fromWebhooks = try [webhookJoin, webhookLeave].compactMap { try fact(Array($0.utf8), id: IdempotencyKey.of(Array($0.utf8))) }
        // Alone, the row's attendee is its user_id: two facts the webhooks do not share.
        let alone = try BackfillEvents.events(meeting: meeting, participants: [Self.reportRow()], accountID: "A")
        let unmatched = try alone.compactMap { try fact($0.body, id: $0.messageID) }
        #expect(unmatched.map(\.attendee) == ["16780288", "16780288"])
        #expect(Set(unmatched.map(\.id)).isDisjoint(with: fromWebhooks.map(\.id)))
        #expect(unmatched.map(\.group) == fromWebhooks.map(\.group), "the same person all the same")

        // With the webhooks known, the row takes their participant_uuid: the same two facts.
        let known = [KnownMovement(kind: .join, at: ZoomTime.parse("2026-11-22T08:01:31Z")!, participantUUID: "u-alan", userID: "16780288", name: "Alan Turing"),
                     KnownMovement(kind: .leave, at: ZoomTime.parse("2026-11-22T08:20:35Z")!, participantUUID: "u-alan", name: "alan  turing")]
        let rows = ReportIdentity.adopt([Self.reportRow()], known: known)
        #expect(rows.map(\.participantUUID) == ["u-alan"])
        let events = try BackfillEvents.events(meeting: meeting, participants: rows, accountID: "A")
        let matched = try events.compactMap { try fact($0.body, id: $0.messageID) }
        #expect(matched.map(\.id) == fromWebhooks.map(\.id))
        #expect(matched.map(\.leaveReason) == [nil, nil], "the report has no reason; the webhook's fact, stored first, keeps it")
    }

    @Test func aReportRowKeepsItsUserIDWhenTheMatchIsNotClear() {
        let at = ZoomTime.parse("2026-11-22T08:01:31Z")!
        // Two connections of one name in one second: no guess.
        let twins = [KnownMovement(kind: .join, at: at, participantUUID: "u-1", name: "Alan Turing"),
                     KnownMovement(kind: .join, at: at, participantUUID: "u-2", name: "Alan Turing")]
        #expect(ReportIdentity.adopt([Self.reportRow()], known: twins).map(\.participantUUID) == [nil])
        // Another second, or another name: not the same join.
        let elsewhere = [KnownMovement(kind: .join, at: at.addingTimeInterval(1), participantUUID: "u-1", name: "Alan Turing"),
                         KnownMovement(kind: .join, at: at, participantUUID: "u-2", name: "Ada Lovelace")]
        #expect(ReportIdentity.adopt([Self.reportRow()], known: elsewhere).map(\.participantUUID) == [nil])
        // Two rows would take one movement: neither does.
        let one = [KnownMovement(kind: .join, at: at, participantUUID: "u-1", name: "Alan Turing")]
        #expect(ReportIdentity.adopt([Self.reportRow(), Self.reportRow()], known: one).map(\.participantUUID) == [nil, nil])
        // The same user_id wins over the name (a renamed participant).
        var renamed = Self.reportRow()
        renamed.name = "Alan M. Turing"
        let byUser = [KnownMovement(kind: .join, at: at, participantUUID: "u-1", userID: "16780288", name: "Alan Turing")]
        #expect(ReportIdentity.adopt([renamed], known: byUser).map(\.participantUUID) == ["u-1"])
    }
}
