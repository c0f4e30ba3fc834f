import Foundation
import LookoutCore
import Projections
import ZoomModel
import ZoomWebhooks

/// Turns a past meeting and its participant records into the webhook bodies Zoom would have sent
/// (`meeting.started`, `meeting.participant_joined` / `_left`, `meeting.ended`), so the store and
/// the projections treat them exactly like webhooks. Pure.
///
/// Keys: a webhook's key is the SHA-256 of Zoom's body, which a backfill cannot reproduce. A
/// join or leave is keyed instead by `AttendanceFact.key` (meeting instance, attendee, kind, time):
/// the same value the projections give the webhook of the same join, and the same on every
/// backfill, so a second backfill adds nothing and a join known from both counts once.
public enum BackfillEvents {
    public static func events(meeting: ZoomEvent.Meeting, participants: [ZoomEvent.Participant], accountID: String,
                              receivedAt: Date = Date()) throws -> [EventMessage] {
        var events: [EventMessage] = []
        let instance = meeting.instance
        // What the webhooks' object carries and the Dashboard or the report knows too.
        let object = ZoomEvent.Meeting(id: meeting.id, uuid: meeting.uuid, hostID: meeting.hostID, topic: meeting.topic,
                                       startTime: meeting.startTime)
        func add(_ name: String, time: Date?, key: (BSONDate) -> String, participant: ZoomEvent.Participant? = nil) throws {
            guard let date = time else { return }
            var meetingObject = object
            if name == ZoomEventName.meetingEnded { meetingObject.endTime = meeting.endTime }
            let event = ZoomEvent(name: name, eventTS: BSONDate(date).milliseconds, accountID: accountID,
                                  meeting: meetingObject, participant: participant)
            events.append(EventMessage(routingKey: name, body: try event.encoded(), messageID: key(BSONDate(date)),
                                       receivedAt: receivedAt, source: .backfill))
        }
        try add(ZoomEventName.meetingStarted, time: meeting.startTime) { lifecycleKey(ZoomEventName.meetingStarted, instance, $0) }
        for record in participants {
            events += try attendance(meeting: object, record: record, accountID: accountID, source: .backfill, receivedAt: receivedAt)
        }
        try add(ZoomEventName.meetingEnded, time: meeting.endTime) { lifecycleKey(ZoomEventName.meetingEnded, instance, $0) }
        return events
    }

    /// The `participant_joined` and `participant_left` of one participant record (what is known of
    /// them), keyed by `AttendanceFact.key` — the key the webhook of the same join has. Nothing for a
    /// record in the waiting room or without any identity.
    public static func attendance(meeting: ZoomEvent.Meeting, record: ZoomEvent.Participant, accountID: String,
                                  source: EventSource, receivedAt: Date) throws -> [EventMessage] {
        guard record.status != "in_waiting_room", let attendee = record.attendee else { return [] }
        var events: [EventMessage] = []
        for (name, time, kind) in [(ZoomEventName.participantJoined, record.joinTime, AttendanceFact.Kind.join),
                                   (ZoomEventName.participantLeft, record.leaveTime, .leave)] {
            guard let time else { continue }
            let at = BSONDate(time)
            let event = ZoomEvent(name: name, eventTS: at.milliseconds, accountID: accountID, meeting: meeting,
                                  participant: participant(record, joined: kind == .join))
            events.append(EventMessage(routingKey: name, body: try event.encoded(),
                                       messageID: AttendanceFact.key(instance: meeting.instance, attendee: attendee, kind: kind, at: at),
                                       receivedAt: receivedAt, source: source))
        }
        return events
    }

    /// Start and end have no fact id: `"backfill"`, the event, the instance and the time, hashed.
    static func lifecycleKey(_ event: String, _ uuid: String, _ at: BSONDate) -> String {
        IdempotencyKey.of(Array("backfill\n\(event)\n\(uuid)\n\(at.milliseconds)".utf8))
    }

    /// The webhook's participant: the record as Zoom's API gave it (with what only the Dashboard
    /// API knows: network, device, quality), the join's time on the join, the leave's on the leave.
    static func participant(_ record: ZoomEvent.Participant, joined: Bool) -> ZoomEvent.Participant {
        var participant = record
        participant.id = record.id ?? ""
        participant.email = record.email ?? ""
        if joined {
            participant.leaveTime = nil
            participant.leaveReason = nil
        } else {
            participant.joinTime = nil
        }
        return participant
    }
}
