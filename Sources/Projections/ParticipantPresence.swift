/// One participant in one meeting (room): whether they are in the room now, their last join and
/// leave, and every session. Recomputed from the participant's facts, so it never depends on the
/// order events arrived in.
public struct ParticipantPresence: Codable, Sendable, Equatable {
    public struct Session: Codable, Sendable, Equatable {
        /// nil when the join was never received (a leave without a join).
        public let joinedAt: BSONDate?
        /// nil while the participant is in the room, or when the leave was never received.
        public let leftAt: BSONDate?

        public var seconds: Int? {
            guard let joinedAt, let leftAt else { return nil }
            return Int((leftAt.milliseconds - joinedAt.milliseconds) / 1000)
        }

        enum CodingKeys: String, CodingKey { case joinedAt = "joined_at", leftAt = "left_at" }
    }

    public let id: String
    public let meetingID: String
    public let attendee: String
    public let name: String
    public let topic: String?
    public let inRoom: Bool
    public let lastJoin: BSONDate?
    public let lastLeft: BSONDate?
    public let sessions: [Session]
    public let sessionCount: Int
    /// Time in room over completed sessions.
    public let secondsInRoom: Int
    /// How many facts of the participant's group this was computed from (guards concurrent writers).
    public let factCount: Int

    enum CodingKeys: String, CodingKey {
        case id = "_id", meetingID = "meeting_id", attendee, name, topic, inRoom = "in_room"
        case lastJoin = "last_join", lastLeft = "last_left", sessions, sessionCount = "session_count"
        case secondsInRoom = "seconds_in_room", factCount = "fact_count"
    }

    public static func id(meetingID: String, attendee: String) -> String { meetingID + "|" + attendee }

    /// The presence of one attendee from all their facts (any order, no duplicates).
    static func from(_ facts: [AttendanceFact], factCount: Int) -> ParticipantPresence? {
        let ordered = facts.sorted { ($0.at, $0.kind == .join ? 0 : 1, $0.id) < ($1.at, $1.kind == .join ? 0 : 1, $1.id) }
        guard let first = ordered.first, let latest = ordered.last else { return nil }
        var sessions: [Session] = []
        var open: BSONDate?
        for fact in ordered {
            switch fact.kind {
            case .join:
                if let open { sessions.append(Session(joinedAt: open, leftAt: nil)) }
                open = fact.at
            case .leave:
                sessions.append(Session(joinedAt: open, leftAt: fact.at))
                open = nil
            }
        }
        if let open { sessions.append(Session(joinedAt: open, leftAt: nil)) }
        let lastJoin = ordered.last { $0.kind == .join }?.at
        let lastLeft = ordered.last { $0.kind == .leave }?.at
        return ParticipantPresence(
            id: id(meetingID: first.meetingID, attendee: first.attendee),
            meetingID: first.meetingID, attendee: first.attendee, name: latest.name,
            topic: ordered.last { $0.topic != nil }?.topic,
            inRoom: lastJoin.map { join in lastLeft.map { join > $0 } ?? true } ?? false,
            lastJoin: lastJoin, lastLeft: lastLeft, sessions: sessions, sessionCount: sessions.count,
            secondsInRoom: sessions.compactMap(\.seconds).reduce(0, +), factCount: factCount)
    }
}
