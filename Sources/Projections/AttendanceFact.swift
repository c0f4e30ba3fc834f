import Foundation
import ZoomWebhooks

/// One join or leave, stored under a key made of what happened (`key(instance:attendee:kind:at:)`):
/// inserting it twice changes nothing, whether it came twice as a webhook or once as a webhook
/// and once from a backfill, and every projection of a participant is recomputed from these facts.
public struct AttendanceFact: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case join, leave }

    public let id: String
    public let meetingID: String
    public let meetingUUID: String?
    /// `participant_uuid`, else `user_id`, else `user_name`.
    public let attendee: String
    public let name: String
    /// The meeting and normalised name: the unit recomputed together (a reconnect can come back
    /// under a new participant record but with the same name).
    public let group: String
    public let kind: Kind
    public let at: BSONDate
    public let leaveReason: String?
    /// A leave whose reason the rules call a network disconnection.
    public let network: Bool
    public let topic: String?

    public init(id: String, meetingID: String, meetingUUID: String?, attendee: String, name: String, kind: Kind,
                at: BSONDate, leaveReason: String? = nil, network: Bool = false, topic: String? = nil) {
        self.id = id
        self.meetingID = meetingID
        self.meetingUUID = meetingUUID
        self.attendee = attendee
        self.name = name
        self.group = Self.group(meetingID: meetingID, name: name)
        self.kind = kind
        self.at = at
        self.leaveReason = leaveReason
        self.network = network
        self.topic = topic
    }

    /// The fact's identity: hex SHA-256 of meeting instance, attendee, kind and time (ms). A webhook
    /// and a backfilled record of the same join have the same key, so the projections count it once.
    public static func key(instance: String, attendee: String, kind: Kind, at: BSONDate) -> String {
        IdempotencyKey.of(Array("attendance\n\(instance)\n\(attendee)\n\(kind.rawValue)\n\(at.milliseconds)".utf8))
    }

    /// Who a participant is: `participant_uuid`, else `user_id`, else `user_name`. Zoom blanks
    /// guests' ids, so empty strings do not count.
    public static func attendee(participantUUID: String?, userID: String?, userName: String?) -> String? {
        [participantUUID, userID, userName].lazy.compactMap { $0 }.first { !$0.isEmpty }
    }

    public static func group(meetingID: String, name: String) -> String {
        meetingID + "|" + name.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    enum CodingKeys: String, CodingKey {
        case id = "_id", meetingID = "meeting_id", meetingUUID = "meeting_uuid", attendee, name, group, kind, at
        case leaveReason = "leave_reason", network, topic
    }
}

/// A meeting instance's lifecycle facts, merged with commutative updates (`$min`/`$max`).
public struct MeetingLifecycle: Sendable, Equatable {
    public let instance: String
    public let meetingID: String
    public let topic: String?
    public let hostID: String?
    public let startedAt: BSONDate?
    public let endedAt: BSONDate?
}

/// A `meeting.alert` (quality problem), kept per meeting.
public struct QualityAlert: Codable, Sendable, Equatable {
    public let id: String
    public let meetingID: String
    public let meetingUUID: String?
    public let topic: String?
    public let at: BSONDate
    public let issues: [String]

    enum CodingKeys: String, CodingKey {
        case id = "_id", meetingID = "meeting_id", meetingUUID = "meeting_uuid", topic, at, issues
    }
}
