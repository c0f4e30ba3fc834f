import ZoomModel

/// Computes a person's presence from all their facts (any order, duplicates allowed): each
/// connection (attendee) pairs its joins and leaves; connections are then joined into stays.
///
/// - A join and a leave of one connection at the same time are a move when the connection was in
///   (leave, then join) and a visit of no length when it was out (join, then leave): ties are
///   broken by what the facts say, never by arrival or `event_ts`.
/// - A connection still open when the person has facts in a later instance ended unseen.
/// - Stays: connections of the same instance whose gap is at most `bounce_seconds` (a move's gap
///   is zero; a reconnect's a few seconds) are one stay. Time in room counts connected time only.
enum PresenceTimeline {
    struct Connection {
        let attendee: String
        let instance: String
        let start: Int64?
        let end: Int64?
        /// No leave yet: in the room now.
        var ongoing: Bool
    }

    static func presence(of facts: [AttendanceFact], rules: ProjectionRules) -> ParticipantPresence? {
        var seen = Set<String>()
        let unique = facts.filter { seen.insert($0.id).inserted }
        let meetingFacts = unique.filter { $0.kind == .join || $0.kind == .leave }
        guard let latest = meetingFacts.max(by: { ($0.at, $0.id) < ($1.at, $1.id) }) else { return nil }
        let movements = meetingFacts.compactMap { $0.movement(rules: rules.leaves) }
        var kinds: [String: LeaveKind] = [:]
        for fact in meetingFacts where fact.kind == .leave {
            kinds[fact.id] = rules.leaves.classify(fact.movement(rules: rules.leaves)!, among: movements)
        }
        // A connection is one attendee in one instance: a registered user's `user_id` comes back in
        // the meeting's next instance, and pairing across instances made one stay of both.
        var connections = Dictionary(grouping: meetingFacts) { [$0.instance, $0.attendee] }.values.flatMap(Self.connections)
        for index in connections.indices where connections[index].ongoing && connections[index].instance != latest.instance {
            connections[index].ongoing = false
        }
        let stays = Self.stays(connections, bounce: Int64(rules.bounceSeconds) * 1000)
        let current = stays.last { $0.ongoing }
        let connectedSince = current?.connections.filter(\.ongoing).compactMap(\.start).min()
        var sessions: [ParticipantPresence.Session] = []
        var total: Int64 = 0
        for stay in stays {
            let leaves = meetingFacts.filter { fact in
                fact.kind == .leave && stay.contains(fact.at.milliseconds) && fact.instance == stay.instance
            }
            let connected = Self.connectedMilliseconds(stay.connections, until: stay.ongoing ? connectedSince : nil)
            total += connected
            sessions.append(.init(joinedAt: stay.start.map(BSONDate.init(milliseconds:)),
                                  leftAt: stay.ongoing ? nil : stay.end.map(BSONDate.init(milliseconds:)),
                                  secondsConnected: Int(connected / 1000),
                                  moves: leaves.count { kinds[$0.id] == .move },
                                  reconnects: leaves.count { kinds[$0.id] == .reconnect }))
        }
        let disconnections = meetingFacts.filter { $0.kind == .leave && kinds[$0.id].map(rules.isDisconnection) == true }
            .map { leave in
                let movement = leave.movement(rules: rules.leaves)!
                let rejoin = rules.leaves.rejoin(after: movement, among: movements)
                return NetworkDisconnection(id: leave.id, meetingID: leave.meetingID, attendee: leave.attendee, name: latest.name,
                                            topic: leave.topic, at: leave.at, reason: leave.leaveReason ?? "", kind: kinds[leave.id]!,
                                            returnedAt: rejoin.map { BSONDate(milliseconds: $0.at) },
                                            bounced: rules.leaves.isBounce(movement, rejoin: rejoin), factCount: unique.count)
            }.sorted { $0.id < $1.id }
        let ended = sessions.filter { $0.leftAt != nil }
        return ParticipantPresence(
            id: latest.group, meetingID: latest.meetingID, attendee: latest.attendee, name: latest.name,
            topic: unique.filter { $0.topic != nil }.max { ($0.at, $0.id) < ($1.at, $1.id) }?.topic,
            inRoom: current != nil, inRoomSince: current?.start.map(BSONDate.init(milliseconds:)),
            connectedSince: connectedSince.map(BSONDate.init(milliseconds:)),
            room: current == nil ? nil : Self.room(unique.filter { $0.instance == latest.instance }),
            lastJoin: sessions.compactMap(\.joinedAt).max(), lastLeft: ended.compactMap(\.leftAt).max(),
            sessions: sessions, secondsInRoom: Int(total / 1000),
            moves: kinds.values.count { $0 == .move }, reconnects: kinds.values.count { $0 == .reconnect },
            connections: Set(meetingFacts.map { [$0.instance, $0.attendee] }).count, disconnections: disconnections,
            factCount: unique.count)
    }

    /// One connection's joins and leaves paired, in time order.
    static func connections(_ facts: [AttendanceFact]) -> [Connection] {
        var result: [Connection] = []
        var open: AttendanceFact?
        let byTime = Dictionary(grouping: facts, by: \.at.milliseconds).sorted { $0.key < $1.key }
        for (_, tie) in byTime {
            let joins = tie.filter { $0.kind == .join }.sorted { $0.id < $1.id }
            let leaves = tie.filter { $0.kind == .leave }.sorted { $0.id < $1.id }
            for fact in open == nil ? joins + leaves : leaves + joins {
                if fact.kind == .join {
                    if let open { result.append(Connection(attendee: open.attendee, instance: open.instance, start: open.at.milliseconds, end: nil, ongoing: false)) }
                    open = fact
                } else {
                    result.append(Connection(attendee: fact.attendee, instance: fact.instance, start: open?.at.milliseconds,
                                             end: fact.at.milliseconds, ongoing: false))
                    open = nil
                }
            }
        }
        if let open { result.append(Connection(attendee: open.attendee, instance: open.instance, start: open.at.milliseconds, end: nil, ongoing: true)) }
        return result
    }

    struct Stay {
        var instance: String
        var start: Int64?
        var end: Int64?
        var ongoing: Bool
        var connections: [Connection]

        func contains(_ at: Int64) -> Bool {
            guard let last = end ?? connections.compactMap({ $0.end ?? $0.start }).max() else { return false }
            return (start ?? last) <= at && at <= last
        }
    }

    /// Connections joined into stays: same instance, and a gap of at most `bounce` ms after a
    /// connection that ended (an ongoing one takes in everything after it).
    static func stays(_ connections: [Connection], bounce: Int64) -> [Stay] {
        let ordered = connections.sorted { a, b in
            let (x, y) = (a.start ?? a.end ?? 0, b.start ?? b.end ?? 0)
            return (x, a.attendee) < (y, b.attendee)
        }
        var stays: [Stay] = []
        for connection in ordered {
            if var stay = stays.last, stay.instance == connection.instance, let start = connection.start, stay.start != nil,
               stay.ongoing || stay.end.map({ start - $0 <= bounce }) == true {
                stay.ongoing = stay.ongoing || connection.ongoing
                stay.end = [stay.end, connection.end].compactMap { $0 }.max()
                stay.connections.append(connection)
                stays[stays.count - 1] = stay
            } else {
                stays.append(Stay(instance: connection.instance, start: connection.start, end: connection.end,
                                  ongoing: connection.ongoing, connections: [connection]))
            }
        }
        return stays
    }

    /// Length of the union of the connections with both ends known, clipped at `until`.
    static func connectedMilliseconds(_ connections: [Connection], until: Int64?) -> Int64 {
        let spans = connections.compactMap { connection -> (Int64, Int64)? in
            guard let start = connection.start, let end = connection.end else { return nil }
            let clipped = until.map { min(end, $0) } ?? end
            return clipped > start ? (start, clipped) : nil
        }.sorted { $0 < $1 }
        var total: Int64 = 0
        var reach = Int64.min
        for (start, end) in spans where end > reach {
            total += end - max(start, reach)
            reach = end
        }
        return total
    }

    /// The breakout room of the latest room event of the instance, nil for the main room.
    static func room(_ facts: [AttendanceFact]) -> String? {
        let events = facts.filter { $0.kind == .roomJoin || $0.kind == .roomLeave }
            .sorted { ($0.at, $0.kind == .roomJoin ? 1 : 0, $0.id) < ($1.at, $1.kind == .roomJoin ? 1 : 0, $1.id) }
        guard let last = events.last, last.kind == .roomJoin else { return nil }
        return last.room
    }
}
