import ZoomModel

/// One person in one meeting (room) — every connection they had under the same name, a reconnect's
/// new `participant_uuid` included: whether they are in the room now, since when, which room
/// (main or a breakout room), their stays, time in room, moves and disconnections. Recomputed from
/// the person's facts, so it never depends on the order events arrived in (`PresenceTimeline`).
public struct ParticipantPresence: Codable, Sendable, Equatable {
    /// A stay: from a join to the leave that ended it. A move between rooms never ends a stay, and
    /// a reconnect (rejoin within `bounce_seconds`) continues it.
    public struct Session: Codable, Sendable, Equatable {
        /// nil when the join was never received (a leave without a join).
        public let joinedAt: BSONDate?
        /// nil while the person is in the room, or when the leave was never received.
        public let leftAt: BSONDate?
        /// Time connected during the stay (a reconnect's gap is not counted), over the connections
        /// whose join and leave are both known.
        public let secondsConnected: Int
        public let moves: Int
        public let reconnects: Int

        public init(joinedAt: BSONDate?, leftAt: BSONDate?, secondsConnected: Int, moves: Int = 0, reconnects: Int = 0) {
            self.joinedAt = joinedAt
            self.leftAt = leftAt
            self.secondsConnected = secondsConnected
            self.moves = moves
            self.reconnects = reconnects
        }

        /// Time connected, when both ends are known.
        public var seconds: Int? { joinedAt != nil && leftAt != nil ? secondsConnected : nil }

        enum CodingKeys: String, CodingKey {
            case joinedAt = "joined_at", leftAt = "left_at", secondsConnected = "seconds_connected", moves, reconnects
        }
    }

    /// `Identity.person`: meeting id and normalised name.
    public let id: String
    public let meetingID: String
    /// The latest connection's `Identity.attendee`.
    public let attendee: String
    public let name: String
    public let topic: String?
    public let inRoom: Bool
    /// Start of the current stay, while in the room.
    public let inRoomSince: BSONDate?
    /// Start of the current connection, while in the room: time in room now is `secondsInRoom`
    /// plus the time since this.
    public let connectedSince: BSONDate?
    /// The breakout room (`breakout_room_uuid`) the person is in now; nil for the main room.
    public let room: String?
    /// Start of the latest stay.
    public let lastJoin: BSONDate?
    /// End of the latest stay that ended.
    public let lastLeft: BSONDate?
    public let sessions: [Session]
    public let sessionCount: Int
    /// Time connected over every connection that ended (or, while in the room, up to `connectedSince`).
    public let secondsInRoom: Int
    public let moves: Int
    public let reconnects: Int
    /// Connections seen: participant records, each instance counted apart.
    public let connections: Int
    /// The person's disconnections (`rules.leaves.disconnectionKinds`), each with its rejoin.
    public let disconnections: [NetworkDisconnection]
    /// How many facts of the person this was computed from (guards concurrent writers).
    public let factCount: Int

    enum CodingKeys: String, CodingKey {
        case id = "_id", meetingID = "meeting_id", attendee, name, topic, inRoom = "in_room", inRoomSince = "in_room_since"
        case connectedSince = "connected_since", room
        case lastJoin = "last_join", lastLeft = "last_left", sessions, sessionCount = "session_count"
        case secondsInRoom = "seconds_in_room", moves, reconnects, connections, disconnections, factCount = "fact_count"
    }

    public init(id: String, meetingID: String, attendee: String, name: String, topic: String?, inRoom: Bool,
                inRoomSince: BSONDate?, connectedSince: BSONDate?, room: String?, lastJoin: BSONDate?, lastLeft: BSONDate?,
                sessions: [Session], secondsInRoom: Int, moves: Int, reconnects: Int, connections: Int,
                disconnections: [NetworkDisconnection], factCount: Int) {
        self.id = id
        self.meetingID = meetingID
        self.attendee = attendee
        self.name = name
        self.topic = topic
        self.inRoom = inRoom
        self.inRoomSince = inRoomSince
        self.connectedSince = connectedSince
        self.room = room
        self.lastJoin = lastJoin
        self.lastLeft = lastLeft
        self.sessions = sessions
        self.sessionCount = sessions.count
        self.secondsInRoom = secondsInRoom
        self.moves = moves
        self.reconnects = reconnects
        self.connections = connections
        self.disconnections = disconnections
        self.factCount = factCount
    }

    /// Time in room at `now`: what ended, plus the current connection.
    public func secondsInRoom(at now: BSONDate) -> Int {
        guard inRoom, let connectedSince else { return secondsInRoom }
        return secondsInRoom + Int(max(0, now.milliseconds - connectedSince.milliseconds) / 1000)
    }
}
