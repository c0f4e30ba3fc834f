/// A person's presence in one meeting instance, as the instance's projection document holds it.
/// Stays, moves and reconnects never span instances, so a person's presence is the merge of their
/// parts (`merged(_:)`), equal to computing it from all their facts at once (`PresenceTimeline`):
/// the parts carry what the merge needs — which part holds the person's latest fact, time in room
/// in milliseconds, and, while the part is in the room, what it would say had a later instance
/// ended its open connections unseen.
///
/// Why parts: one document per instance is one write per batch for the whole room, where one
/// document per person was one write per person (docs/architecture.md, "Projections per instance").
public struct PresencePart: Codable, Sendable, Equatable {
    public let presence: ParticipantPresence
    public let instance: String
    let lastFactAt: Int64
    let lastFactID: String
    let millisecondsInRoom: Int64
    /// Set while `presence.inRoom`.
    let endedUnseen: Ended?

    struct Ended: Codable, Sendable, Equatable {
        let sessions: [ParticipantPresence.Session]
        let millisecondsInRoom: Int64

        enum CodingKeys: String, CodingKey { case sessions, millisecondsInRoom = "ms_in_room" }
    }

    /// The part of one instance's facts of one person; nil without a meeting join or leave.
    static func of(_ facts: [AttendanceFact], instance: String, rules: ProjectionRules) -> PresencePart? {
        guard let computed = PresenceTimeline.computed(facts, rules: rules) else { return nil }
        let ended = computed.presence.inRoom ? PresenceTimeline.computed(facts, rules: rules, endedUnseen: true) : nil
        return PresencePart(presence: computed.presence, instance: instance, lastFactAt: computed.latest.at.milliseconds,
                            lastFactID: computed.latest.id, millisecondsInRoom: computed.milliseconds,
                            endedUnseen: ended.map { Ended(sessions: $0.presence.sessions, millisecondsInRoom: $0.milliseconds) })
    }

    /// One person's presence from their parts (any order; at least one).
    public static func merged(_ parts: [PresencePart]) -> ParticipantPresence {
        let ordered = parts.sorted { ($0.lastFactAt, $0.lastFactID) < ($1.lastFactAt, $1.lastFactID) }
        let latest = ordered[ordered.count - 1]
        guard ordered.count > 1 else { return latest.presence }
        // Every part but the latest: its open connections ended unseen.
        let earlier = ordered.dropLast().map { part in
            (sessions: part.endedUnseen?.sessions ?? part.presence.sessions,
             milliseconds: part.endedUnseen?.millisecondsInRoom ?? part.millisecondsInRoom)
        }
        let sessions = (earlier.map(\.sessions) + [latest.presence.sessions])
            .sorted { (Self.start(of: $0), $0.count) < (Self.start(of: $1), $1.count) }
            .flatMap { $0 }
        let milliseconds = earlier.map(\.milliseconds).reduce(latest.millisecondsInRoom, +)
        let now = latest.presence
        let factCount = parts.map(\.presence.factCount).reduce(0, +)
        let disconnections = parts.flatMap(\.presence.disconnections).map { drop in
            NetworkDisconnection(id: drop.id, meetingID: drop.meetingID, attendee: drop.attendee, name: now.name, topic: drop.topic,
                                 at: drop.at, reason: drop.reason, kind: drop.kind, returnedAt: drop.returnedAt,
                                 bounced: drop.bounced, factCount: factCount)
        }.sorted { $0.id < $1.id }
        return ParticipantPresence(
            id: now.id, meetingID: now.meetingID, attendee: now.attendee, name: now.name,
            topic: ordered.last { $0.presence.topic != nil }?.presence.topic,
            inRoom: now.inRoom, inRoomSince: now.inRoomSince, connectedSince: now.connectedSince, room: now.room,
            lastJoin: sessions.compactMap(\.joinedAt).max(), lastLeft: sessions.compactMap(\.leftAt).max(),
            sessions: sessions, secondsInRoom: Int(milliseconds / 1000),
            moves: parts.map(\.presence.moves).reduce(0, +), reconnects: parts.map(\.presence.reconnects).reduce(0, +),
            connections: parts.map(\.presence.connections).reduce(0, +), disconnections: disconnections, factCount: factCount)
    }

    /// Where a part's sessions start, as `PresenceTimeline` orders stays.
    private static func start(of sessions: [ParticipantPresence.Session]) -> Int64 {
        sessions.first.map { ($0.joinedAt ?? $0.leftAt)?.milliseconds ?? 0 } ?? .max
    }

    enum CodingKeys: String, CodingKey {
        case instance, lastFactAt = "last_fact_at", lastFactID = "last_fact_id", millisecondsInRoom = "ms_in_room"
        case endedUnseen = "ended_unseen"
    }

    public init(from decoder: any Decoder) throws {
        presence = try ParticipantPresence(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        instance = try container.decode(String.self, forKey: .instance)
        lastFactAt = try container.decode(Int64.self, forKey: .lastFactAt)
        lastFactID = try container.decode(String.self, forKey: .lastFactID)
        millisecondsInRoom = try container.decode(Int64.self, forKey: .millisecondsInRoom)
        endedUnseen = try container.decodeIfPresent(Ended.self, forKey: .endedUnseen)
    }

    /// The presence's own fields and the part's, in one document.
    public func encode(to encoder: any Encoder) throws {
        try presence.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(instance, forKey: .instance)
        try container.encode(lastFactAt, forKey: .lastFactAt)
        try container.encode(lastFactID, forKey: .lastFactID)
        try container.encode(millisecondsInRoom, forKey: .millisecondsInRoom)
        try container.encodeIfPresent(endedUnseen, forKey: .endedUnseen)
    }

    init(presence: ParticipantPresence, instance: String, lastFactAt: Int64, lastFactID: String, millisecondsInRoom: Int64,
         endedUnseen: Ended?) {
        self.presence = presence
        self.instance = instance
        self.lastFactAt = lastFactAt
        self.lastFactID = lastFactID
        self.millisecondsInRoom = millisecondsInRoom
        self.endedUnseen = endedUnseen
    }
}
