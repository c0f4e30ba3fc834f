import Foundation

/// The fields of a Zoom `meeting.*` delivery that projections use. Zoom sends ids as strings or
/// numbers and times as ISO 8601; anything missing stays nil.
struct MeetingEvent: Decodable {
    let event: String
    let eventTimestamp: Int64?
    let object: MeetingObject

    enum CodingKeys: String, CodingKey {
        case event, event_ts, payload
    }

    enum PayloadKeys: String, CodingKey { case object }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        event = try container.decode(String.self, forKey: .event)
        eventTimestamp = try? container.decodeIfPresent(Int64.self, forKey: .event_ts)
        let payload = try container.nestedContainer(keyedBy: PayloadKeys.self, forKey: .payload)
        object = try payload.decode(MeetingObject.self, forKey: .object)
    }
}

struct MeetingObject: Decodable {
    let id: String
    let uuid: String?
    let hostID: String?
    let topic: String?
    let startTime: String?
    let endTime: String?
    let participant: Participant?
    /// `meeting.alert`: Zoom's issue list, kept as text.
    let issues: [String]?

    enum CodingKeys: String, CodingKey {
        case id, uuid, topic, participant, issues
        case hostID = "host_id"
        case startTime = "start_time"
        case endTime = "end_time"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeLenientString(.id) ?? ""
        uuid = try container.decodeLenientString(.uuid)
        hostID = try container.decodeLenientString(.hostID)
        topic = try? container.decodeIfPresent(String.self, forKey: .topic)
        startTime = try? container.decodeIfPresent(String.self, forKey: .startTime)
        endTime = try? container.decodeIfPresent(String.self, forKey: .endTime)
        participant = try? container.decodeIfPresent(Participant.self, forKey: .participant)
        if let list = try? container.decodeIfPresent([String].self, forKey: .issues) {
            issues = list
        } else {
            issues = (try? container.decodeIfPresent(String.self, forKey: .issues)).flatMap { $0.map { [$0] } }
        }
    }
}

struct Participant: Decodable {
    let userID: String?
    let userName: String?
    let participantUUID: String?
    let id: String?
    let email: String?
    let joinTime: String?
    let leaveTime: String?
    let leaveReason: String?
    let dateTime: String?

    enum CodingKeys: String, CodingKey {
        case id, email
        case userID = "user_id"
        case userName = "user_name"
        case participantUUID = "participant_uuid"
        case joinTime = "join_time"
        case leaveTime = "leave_time"
        case leaveReason = "leave_reason"
        case dateTime = "date_time"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        userID = try container.decodeLenientString(.userID)
        userName = try? container.decodeIfPresent(String.self, forKey: .userName)
        participantUUID = try container.decodeLenientString(.participantUUID)
        id = try container.decodeLenientString(.id)
        email = try? container.decodeIfPresent(String.self, forKey: .email)
        joinTime = try? container.decodeIfPresent(String.self, forKey: .joinTime)
        leaveTime = try? container.decodeIfPresent(String.self, forKey: .leaveTime)
        leaveReason = try? container.decodeIfPresent(String.self, forKey: .leaveReason)
        dateTime = try? container.decodeIfPresent(String.self, forKey: .dateTime)
    }

    /// Who this is (`AttendanceFact.attendee`).
    var attendeeKey: String? {
        AttendanceFact.attendee(participantUUID: participantUUID, userID: userID, userName: userName)
    }
}

extension KeyedDecodingContainer {
    /// A string field Zoom sometimes sends as a number; nil when absent, null or another type.
    func decodeLenientString(_ key: Key) throws -> String? {
        if let text = try? decodeIfPresent(String.self, forKey: key) { return text }
        if let number = try? decodeIfPresent(Int64.self, forKey: key) { return String(number) }
        return nil
    }
}

/// Zoom's times: `2026-11-22T08:01:02Z`, sometimes with fractional seconds.
public enum ZoomTime {
    public static func parse(_ text: String?) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
