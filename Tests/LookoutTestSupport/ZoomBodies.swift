import Foundation
import Synchronization

/// Zoom webhook bodies for tests, made from the recorded deliveries (`RecordedFixtures`,
/// Zoom's documented payloads) with only the fields a test names replaced: never from Lookout's
/// own output. Each person is their own participant (`participant_uuid` "<name>-uuid",
/// `user_id` "<name>-id", the recording's other ids and e-mail blanked as Zoom does for guests);
/// each meeting other than the recorded one (85012345678) its own instance ("<meeting>-uuid").
/// Keys come out sorted; a test that needs bytes exactly as Zoom sent them reads the fixture.
public enum ZoomBodies {
    /// The recorded meeting's id; its instance is the recording's UUID.
    public static let recordedMeeting = "85012345678"

    /// `meeting.participant_joined` (Fixtures/participant_joined.json).
    public static func joined(_ name: String, meeting: String = recordedMeeting, instance: String? = nil,
                              topic: String? = nil, participantUUID: String? = nil, userID: String? = nil,
                              email: String = "", at time: String = "2026-11-22T08:01:02Z",
                              eventTS: Int64? = nil) -> [UInt8] {
        participant("participant_joined", name, meeting: meeting, instance: instance, topic: topic,
                    participantUUID: participantUUID, userID: userID, email: email, eventTS: eventTS,
                    fields: ["join_time": time])
    }

    /// `meeting.participant_left` (Fixtures/participant_left.json), its `leave_reason` in Zoom's
    /// "<name> left the meeting. Reason : <reason>" form, or exactly `rawReason` when given.
    public static func left(_ name: String, meeting: String = recordedMeeting, instance: String? = nil,
                            topic: String? = nil, participantUUID: String? = nil, userID: String? = nil,
                            email: String = "", at time: String = "2026-11-22T08:44:20Z",
                            reason: String = "left the meeting", rawReason: String? = nil,
                            eventTS: Int64? = nil) -> [UInt8] {
        participant("participant_left", name, meeting: meeting, instance: instance, topic: topic,
                    participantUUID: participantUUID, userID: userID, email: email, eventTS: eventTS,
                    fields: ["leave_time": time,
                             "leave_reason": rawReason ?? "\(name) left the meeting. Reason : \(reason)"])
    }

    /// `meeting.started` (Fixtures/meeting_started.json).
    public static func started(meeting: String = recordedMeeting, instance: String? = nil, topic: String? = nil,
                               at time: String = "2026-11-22T08:00:00Z", eventTS: Int64? = nil) -> [UInt8] {
        edited("meeting_started") { event in
            event.meeting(meeting, instance: instance, topic: topic)
            event.object["start_time"] = time
            if let eventTS { event.root["event_ts"] = eventTS }
        }
    }

    /// `meeting.ended` (Fixtures/meeting_ended.json).
    public static func ended(meeting: String = recordedMeeting, instance: String? = nil, topic: String? = nil,
                             at time: String = "2026-11-22T09:00:00Z", eventTS: Int64? = nil) -> [UInt8] {
        edited("meeting_ended") { event in
            event.meeting(meeting, instance: instance, topic: topic)
            event.object["end_time"] = time
            if let eventTS { event.root["event_ts"] = eventTS }
        }
    }

    /// The UTF-8 text of a body, for an API that takes a string.
    public static func text(_ body: [UInt8]) -> String { String(decoding: body, as: UTF8.self) }

    private static func participant(_ fixture: String, _ name: String, meeting: String, instance: String?, topic: String?,
                                    participantUUID: String?, userID: String?, email: String, eventTS: Int64?,
                                    fields: [String: Any]) -> [UInt8] {
        edited(fixture) { event in
            event.meeting(meeting, instance: instance, topic: topic)
            var participant = event.object["participant"] as? [String: Any] ?? [:]
            participant["user_name"] = name
            participant["participant_uuid"] = participantUUID ?? "\(name)-uuid"
            participant["user_id"] = userID ?? "\(name)-id"
            participant["id"] = ""
            participant["participant_user_id"] = ""
            participant["email"] = email
            participant.merge(fields) { $1 }
            event.object["participant"] = participant
            if let eventTS { event.root["event_ts"] = eventTS }
        }
    }

    /// The recorded bodies read so far: a storm of a few hundred bodies reads each file once.
    private static let read = Mutex<[String: [UInt8]]>([:])

    private static func recorded(_ fixture: String) throws -> [UInt8] {
        if let bytes = read.withLock({ $0[fixture] }) { return bytes }
        let bytes = try RecordedFixtures.bytes(fixture)
        read.withLock { $0[fixture] = bytes }
        return bytes
    }

    /// A recorded body, parsed, edited and written back.
    private static func edited(_ fixture: String, _ edit: (inout Editable) -> Void) -> [UInt8] {
        do {
            let bytes = try recorded(fixture)
            guard let root = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
                fatalError("Fixtures/\(fixture).json is not a JSON object")
            }
            var event = Editable(root: root)
            edit(&event)
            return Array(try JSONSerialization.data(withJSONObject: event.root, options: [.sortedKeys, .withoutEscapingSlashes]))
        } catch {
            fatalError("Fixtures/\(fixture).json: \(error)")
        }
    }

    private struct Editable {
        var root: [String: Any]

        var object: [String: Any] {
            get { (root["payload"] as? [String: Any])?["object"] as? [String: Any] ?? [:] }
            set {
                var payload = root["payload"] as? [String: Any] ?? [:]
                payload["object"] = newValue
                root["payload"] = payload
            }
        }

        mutating func meeting(_ meeting: String, instance: String?, topic: String?) {
            if meeting != ZoomBodies.recordedMeeting || instance != nil {
                object["uuid"] = instance ?? "\(meeting)-uuid"
            }
            object["id"] = meeting
            if let topic { object["topic"] = topic }
        }
    }
}
