import Foundation
import ZoomModel
import ZoomWebhooks

/// One join or leave (of the meeting, or of a breakout room), stored under a key made of what
/// happened (`key(instance:attendee:kind:at:)`): inserting it twice changes nothing, whether it
/// came twice as a webhook or once as a webhook and once from a backfill, and every projection
/// of a person is recomputed from these facts.
public struct AttendanceFact: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case join, leave
        /// `meeting.participant_joined_breakout_room` / `_left_breakout_room`: which room a person
        /// is in; the meeting's own join and leave say whether they are in the meeting.
        case roomJoin = "room_join", roomLeave = "room_leave"
    }

    public let id: String
    public let meetingID: String
    public let meetingUUID: String?
    /// `Identity.attendee`: `participant_uuid`, else `user_id`, else `user_name`.
    public let attendee: String
    /// Zoom's `participant_uuid`, when it gave one (it tells a move from a fast reconnect).
    public let participantUUID: String?
    public let name: String
    /// `Identity.person`: the meeting and normalised name, the unit recomputed together (a
    /// reconnect comes back under a new participant record but with the same name).
    public let group: String
    public let kind: Kind
    public let at: BSONDate
    public let leaveReason: String?
    /// Room events: `breakout_room_uuid`.
    public let room: String?
    public let topic: String?

    public init(id: String, meetingID: String, meetingUUID: String?, attendee: String, participantUUID: String? = nil,
                name: String, kind: Kind, at: BSONDate, leaveReason: String? = nil, room: String? = nil, topic: String? = nil) {
        self.id = id
        self.meetingID = meetingID
        self.meetingUUID = meetingUUID
        self.attendee = attendee
        self.participantUUID = participantUUID.flatMap { $0.isEmpty ? nil : $0 }
        self.name = name
        self.group = Identity.person(meetingID: meetingID, name: name)
        self.kind = kind
        self.at = at
        self.leaveReason = leaveReason
        self.room = room
        self.topic = topic
    }

    /// The meeting instance (`Identity.instance`).
    public var instance: String { Identity.instance(meetingID: meetingID, uuid: meetingUUID) }

    /// The fact's identity: hex SHA-256 of meeting instance, attendee, kind and time (ms). A webhook
    /// and a backfilled record of the same join have the same key, so the projections count it once.
    public static func key(instance: String, attendee: String, kind: Kind, at: BSONDate) -> String {
        IdempotencyKey.of(Array("attendance\n\(instance)\n\(attendee)\n\(kind.rawValue)\n\(at.milliseconds)".utf8))
    }

    /// As the leave classification reads it (meeting joins and leaves only).
    func movement(rules: LeaveRules) -> Movement? {
        switch kind {
        case .join: Movement(at: at.milliseconds, direction: .join, instance: instance, attendee: attendee, participantUUID: participantUUID)
        case .leave: Movement(at: at.milliseconds, direction: .leave, instance: instance, attendee: attendee,
                              participantUUID: participantUUID, reason: rules.reasonClass(leaveReason))
        case .roomJoin, .roomLeave: nil
        }
    }

    enum CodingKeys: String, CodingKey {
        case id = "_id", meetingID = "meeting_id", meetingUUID = "meeting_uuid", attendee, participantUUID = "participant_uuid"
        case name, group, kind, at, leaveReason = "leave_reason", room, topic
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try container.decode(String.self, forKey: .id), meetingID: try container.decode(String.self, forKey: .meetingID),
                  meetingUUID: try container.decodeIfPresent(String.self, forKey: .meetingUUID),
                  attendee: try container.decode(String.self, forKey: .attendee),
                  participantUUID: try container.decodeIfPresent(String.self, forKey: .participantUUID),
                  name: try container.decode(String.self, forKey: .name), kind: try container.decode(Kind.self, forKey: .kind),
                  at: try container.decode(BSONDate.self, forKey: .at),
                  leaveReason: try container.decodeIfPresent(String.self, forKey: .leaveReason),
                  room: try container.decodeIfPresent(String.self, forKey: .room),
                  topic: try container.decodeIfPresent(String.self, forKey: .topic))
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

    public init(instance: String, meetingID: String, topic: String?, hostID: String?, startedAt: BSONDate?, endedAt: BSONDate?) {
        self.instance = instance
        self.meetingID = meetingID
        self.topic = topic
        self.hostID = hostID
        self.startedAt = startedAt
        self.endedAt = endedAt
    }
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
