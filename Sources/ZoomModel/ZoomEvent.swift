import Foundation

/// A Zoom webhook delivery (or a body Lookout writes in the same shape: backfilled history,
/// `lookout.incident.*`), as every part of Lookout reads and writes it. Zoom's shapes vary by
/// event and over time, so everything but the event name is optional, and a field of an
/// unexpected type reads as absent instead of failing the whole event (`ZoomEvent+Coding`).
public struct ZoomEvent: Sendable, Equatable {
    /// `event`, e.g. `meeting.participant_joined`.
    public var name: String
    /// `event_ts`: when Zoom says the event happened, in milliseconds.
    public var eventTS: Int64?
    public var accountID: String?
    /// `payload.object`, without the participant.
    public var meeting: Meeting
    /// `payload.object.participant`.
    public var participant: Participant?
    /// `meeting.alert`: the issues Zoom reports, as free text.
    public var issues: [String]
    /// `lookout.incident.*`: what the projection worker found.
    public var incident: Incident?
    /// `endpoint.url_validation`: `payload.plainToken`.
    public var plainToken: String?
    /// `lookout.reconcile.repaired`: what reconciliation filled in.
    public var repair: Repair?

    public init(name: String, eventTS: Int64? = nil, accountID: String? = nil, meeting: Meeting = Meeting(),
                participant: Participant? = nil, issues: [String] = [], incident: Incident? = nil, plainToken: String? = nil,
                repair: Repair? = nil) {
        self.name = name
        self.eventTS = eventTS
        self.accountID = accountID
        self.meeting = meeting
        self.participant = participant
        self.issues = issues
        self.incident = incident
        self.plainToken = plainToken
        self.repair = repair
    }

    /// `event_ts` as a date.
    public var timestamp: Date? { eventTS.map { Date(timeIntervalSince1970: Double($0) / 1000) } }

    /// A meeting instance whose data reconciliation with Zoom's record repaired.
    public struct Repair: Sendable, Equatable {
        public var sessionsFilled: Int
        public var factsFilled: Int
        public var conflicts: Int
        /// Zoom's record: `dashboard` or `report`.
        public var source: String

        public init(sessionsFilled: Int, factsFilled: Int, conflicts: Int, source: String) {
            self.sessionsFilled = sessionsFilled
            self.factsFilled = factsFilled
            self.conflicts = conflicts
            self.source = source
        }
    }

    public struct Meeting: Sendable, Equatable {
        /// The meeting number: the room, the same for every occurrence of a recurring meeting.
        public var id: String
        /// One occurrence (instance) of the meeting.
        public var uuid: String?
        public var hostID: String?
        public var topic: String?
        public var type: Int?
        public var startTime: Date?
        public var endTime: Date?
        public var timezone: String?
        /// Scheduled length in minutes.
        public var duration: Int?
        public var joinURL: String?
        /// Breakout-room events: the room the participant went to or came from.
        public var breakoutRoomUUID: String?

        public init(id: String = "", uuid: String? = nil, hostID: String? = nil, topic: String? = nil, type: Int? = nil,
                    startTime: Date? = nil, endTime: Date? = nil, timezone: String? = nil, duration: Int? = nil,
                    joinURL: String? = nil, breakoutRoomUUID: String? = nil) {
            self.id = id
            self.uuid = uuid
            self.hostID = hostID
            self.topic = topic
            self.type = type
            self.startTime = startTime
            self.endTime = endTime
            self.timezone = timezone
            self.duration = duration
            self.joinURL = joinURL
            self.breakoutRoomUUID = breakoutRoomUUID
        }
    }

    public struct Participant: Sendable, Equatable {
        /// `user_name`.
        public var name: String?
        public var email: String?
        /// Changes on every room move and every reconnect.
        public var userID: String?
        /// Zoom's user id for signed-in users; blanked (`""`) for guests.
        public var id: String?
        /// Stable across room moves within one connection; a reconnect gets a new one.
        public var participantUUID: String?
        public var participantUserID: String?
        public var registrantID: String?
        public var customerKey: String?
        public var phoneNumber: String?
        /// Breakout-room events: the participant's `user_id` in the main room.
        public var parentUserID: String?
        public var joinTime: Date?
        public var leaveTime: Date?
        /// Waiting room, admission and sharing events carry `date_time` instead.
        public var dateTime: Date?
        /// Free text, e.g. `Ada left the meeting. Reason : left the meeting` (see `LeaveReason`).
        public var leaveReason: String?
        /// Sharing events: `sharing_details.content`.
        public var sharingContent: String?
        /// What only Zoom's Dashboard API knows (backfilled records).
        public var device: String?
        public var networkType: String?
        public var connectionType: String?
        public var dataCenter: String?
        public var audioQuality: String?
        public var videoQuality: String?
        public var screenShareQuality: String?
        public var role: String?
        /// Dashboard API: `in_meeting` or `in_waiting_room`.
        public var status: String?

        public init(name: String? = nil, email: String? = nil, userID: String? = nil, id: String? = nil,
                    participantUUID: String? = nil, joinTime: Date? = nil, leaveTime: Date? = nil, dateTime: Date? = nil,
                    leaveReason: String? = nil) {
            self.name = name
            self.email = email
            self.userID = userID
            self.id = id
            self.participantUUID = participantUUID
            self.joinTime = joinTime
            self.leaveTime = leaveTime
            self.dateTime = dateTime
            self.leaveReason = leaveReason
        }
    }

    /// A collective disconnection, as the projection worker announces it.
    public struct Incident: Sendable, Equatable {
        public var id: String?
        public var startedAt: Date?
        public var endedAt: Date?
        public var participants: [Participant]
        public var count: Int?
        public var reason: String?

        public init(id: String? = nil, startedAt: Date? = nil, endedAt: Date? = nil, participants: [Participant] = [],
                    count: Int? = nil, reason: String? = nil) {
            self.id = id
            self.startedAt = startedAt
            self.endedAt = endedAt
            self.participants = participants
            self.count = count
            self.reason = reason
        }

        /// How many participants it concerns: the count given, else the names listed.
        public var size: Int { count ?? participants.count }
    }
}

/// The event names Lookout acts on.
public enum ZoomEventName {
    public static let urlValidation = "endpoint.url_validation"
    public static let meetingStarted = "meeting.started"
    public static let meetingEnded = "meeting.ended"
    public static let participantJoined = "meeting.participant_joined"
    public static let participantLeft = "meeting.participant_left"
    public static let joinedBreakoutRoom = "meeting.participant_joined_breakout_room"
    public static let leftBreakoutRoom = "meeting.participant_left_breakout_room"
    public static let joinedWaitingRoom = "meeting.participant_joined_waiting_room"
    public static let admitted = "meeting.participant_admitted"
    public static let sharingStarted = "meeting.sharing_started"
    public static let sharingEnded = "meeting.sharing_ended"
    public static let alert = "meeting.alert"
    public static let collectiveDisconnection = "lookout.incident.collective_disconnection"
    public static let dataRepaired = "lookout.reconcile.repaired"
}
