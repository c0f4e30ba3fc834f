import Foundation
import LookoutCore
import Projections
import ZoomAPI
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
    public static func events(meeting: PastMeeting, participants: [ParticipantRecord], accountID: String,
                              receivedAt: Date = Date()) -> [EventMessage] {
        var events: [EventMessage] = []
        func add(_ event: String, time: String?, key: (BSONDate) -> String, participant: ParticipantBody? = nil) {
            guard let date = ZoomTime.parse(time).map(BSONDate.init) else { return }
            let object = MeetingBody(id: meeting.id, uuid: meeting.uuid, host_id: meeting.hostID, topic: meeting.topic,
                                     start_time: meeting.startTime, end_time: event == "meeting.ended" ? meeting.endTime : nil,
                                     participant: participant)
            let body = Envelope(event: event, event_ts: date.milliseconds, payload: .init(account_id: accountID, object: object))
            events.append(EventMessage(routingKey: event, body: encode(body), messageID: key(date),
                                       receivedAt: receivedAt, source: .backfill))
        }
        add("meeting.started", time: meeting.startTime) { lifecycleKey("meeting.started", meeting.uuid, $0) }
        for record in participants {
            guard let attendee = AttendanceFact.attendee(participantUUID: record.participantUUID, userID: record.userID,
                                                         userName: record.userName) else { continue }
            add("meeting.participant_joined", time: record.joinTime,
                key: { AttendanceFact.key(instance: meeting.uuid, attendee: attendee, kind: .join, at: $0) },
                participant: ParticipantBody(record, joined: true))
            add("meeting.participant_left", time: record.leaveTime,
                key: { AttendanceFact.key(instance: meeting.uuid, attendee: attendee, kind: .leave, at: $0) },
                participant: ParticipantBody(record, joined: false))
        }
        add("meeting.ended", time: meeting.endTime) { lifecycleKey("meeting.ended", meeting.uuid, $0) }
        return events
    }

    /// Start and end have no fact id: `"backfill"`, the event, the instance and the time, hashed.
    static func lifecycleKey(_ event: String, _ uuid: String, _ at: BSONDate) -> String {
        IdempotencyKey.of(Array("backfill\n\(event)\n\(uuid)\n\(at.milliseconds)".utf8))
    }

    private static func encode(_ body: Envelope) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(body)) ?? Data())
    }

    // The webhook shapes (REFERENCE.md); nil fields are left out, as Zoom leaves them out.
    private struct Envelope: Encodable {
        struct Payload: Encodable {
            let account_id: String
            let object: MeetingBody
        }
        let event: String
        let event_ts: Int64
        let payload: Payload
    }

    private struct MeetingBody: Encodable {
        let id: String
        let uuid: String
        let host_id: String?
        let topic: String?
        let start_time: String?
        let end_time: String?
        let participant: ParticipantBody?
    }

    /// Webhook participant fields, plus what only the Dashboard API knows (network, device, quality).
    private struct ParticipantBody: Encodable {
        let id, user_id, participant_uuid, user_name, email: String?
        let join_time, leave_time, leave_reason: String?
        let device, network_type, connection_type, data_center: String?
        let audio_quality, video_quality, screen_share_quality, role: String?

        init(_ record: ParticipantRecord, joined: Bool) {
            id = record.id ?? ""
            user_id = record.userID
            participant_uuid = record.participantUUID
            user_name = record.userName
            email = record.email ?? ""
            join_time = joined ? record.joinTime : nil
            leave_time = joined ? nil : record.leaveTime
            leave_reason = joined ? nil : record.leaveReason
            device = record.device
            network_type = record.networkType
            connection_type = record.connectionType
            data_center = record.dataCenter
            audio_quality = record.audioQuality
            video_quality = record.videoQuality
            screen_share_quality = record.screenShareQuality
            role = record.role
        }
    }
}
