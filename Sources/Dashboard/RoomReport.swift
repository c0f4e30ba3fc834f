import Foundation
import Projections
import ZoomModel

/// The meetings live now: who is in each room, since when, in which room (main or a breakout
/// room), who dropped and is not back, the latest joins and leaves; and (by filter) the meetings
/// of the period that have ended. One row per person: a reconnect's new participant record and
/// every room move are the same stay (`ParticipantPresence`). Capped at `limit` rooms.
public struct RoomReport: Encodable, Sendable, Equatable {
    public struct Attendee: Encodable, Sendable, Equatable {
        public let name: String
        /// The person page's key.
        public let person: String?
        /// Start of the current stay (moves and reconnects do not restart it).
        public let inRoomSince: Date
        /// Time connected so far, the current connection included.
        public let secondsInRoom: Int
        public let sessions: Int
        public let disconnections: Int
        /// The breakout room (`breakout_room_uuid`) the person is in; nil in the main room.
        public let breakoutRoom: String?
    }

    public struct Movement: Encodable, Sendable, Equatable {
        public enum Kind: String, Encodable, Sendable { case joined, left, dropped }
        public let name: String
        public let kind: Kind
        public let at: Date
    }

    /// Dropped by the network and not back (yet), while the class goes on.
    public struct Away: Encodable, Sendable, Equatable {
        public let name: String
        public let droppedAt: Date
    }

    public struct Room: Encodable, Sendable, Equatable {
        public let meetingID: String
        public let topic: String?
        /// Everyone in the room, named or not.
        public let inRoomCount: Int
        /// Those this audience may see by name.
        public let inRoom: [Attendee]
        public let away: [Away]
        public let recent: [Movement]
        public let lastActivity: Date?
        /// The occurrence on now, when its start is known.
        public let instance: String?
        public let startedAt: Date?
    }

    public let generatedAt: Date
    public let status: String
    /// Meetings live now, and people in them, whatever the search.
    public let liveCount: Int
    public let peopleInRooms: Int
    /// Live meetings the search matched; `rooms` holds the first `limit` of them.
    public let matched: Int
    public let rooms: [Room]
    /// Ended meetings of the period (status ended or all), newest first.
    public let endedCount: Int
    public let ended: [MeetingsReport.Meeting]

    /// A meeting started and not ended counts as live for a day at most (an end Zoom never sent).
    static let staleAfter: TimeInterval = 86_400

    static func make(_ data: DashboardData, audience: Audience, now: Date, query: DashboardQuery, period: Period,
                     limit: Int = 12) -> RoomReport {
        let nowMS = DashboardData.ms(now)
        var live: [String: Int?] = [:]
        for (meetingID, rows) in data.rowsByMeeting where rows.contains(where: { data.row($0).inRoom }) { live[meetingID] = .some(nil) }
        for (index, meeting) in data.meetings.enumerated() {
            guard let id = meeting.meetingID, let started = meeting.startedAt, meeting.endedAt == nil,
                  now.timeIntervalSince(started.date) < staleAfter, started.milliseconds <= nowMS else { continue }
            live[id] = index
        }
        let wanted = query.meetingID.map { id in live.keys.filter { $0 == id } } ?? Array(live.keys)
        var rooms: [Room] = []
        if query.status != .ended {
            rooms = wanted.map { id in
                let instance = live[id]!.map { data.meetings[$0] } ?? (data.instance(of: id, at: nowMS).map { data.meetings[$0] })
                return room(id, data: data, instance: instance, audience: audience, now: now, recent: query.recent)
            }.filter { room in
                query.matches(room.topic, room.meetingID) || room.inRoom.contains { query.matches($0.name) }
            }.sorted { a, b in
                (a.inRoomCount, a.lastActivity ?? .distantPast, b.meetingID) > (b.inRoomCount, b.lastActivity ?? .distantPast, a.meetingID)
            }
        }
        var ended: [MeetingsReport.Meeting] = []
        if query.status != .live {
            ended = MeetingsReport.rows(data, audience: audience, period: period, now: now, query: query).filter {
                !$0.live && ($0.meetingID.map { live[$0] == nil } ?? true)
            }
        }
        return RoomReport(generatedAt: now, status: query.status.rawValue, liveCount: live.count,
                          peopleInRooms: live.keys.reduce(0) { total, id in total + (data.rowsByMeeting[id] ?? []).count { data.row($0).inRoom } },
                          matched: rooms.count, rooms: Array(rooms.prefix(limit)), endedCount: ended.count,
                          ended: Array(ended.prefix(limit * 4)))
    }

    static func room(_ meetingID: String, data: DashboardData, instance: MeetingSummary?, audience: Audience, now: Date,
                     recent: Int) -> Room {
        let rows = (data.rowsByMeeting[meetingID] ?? []).map(data.row)
        let since = instance?.startedAt ?? rows.compactMap(\.inRoomSince).min()
        var movements: [Movement] = []
        var inRoom: [Attendee] = [], count = 0
        var dropped: [(name: String, at: Date)] = [], present = Set<String>()
        for row in rows {
            if row.inRoom { count += 1 }
            guard let name = audience.name(row.name) else { continue }
            // Stays begin and end; inside a stay, drops and the rejoins after them.
            let drops = Set(row.disconnections.map(\.at))
            var ends = Set<BSONDate>()
            for session in row.sessions.suffix(recent) {
                if let joined = session.joinedAt { movements.append(Movement(name: name, kind: .joined, at: joined.date)) }
                if let left = session.leftAt {
                    ends.insert(left)
                    movements.append(Movement(name: name, kind: drops.contains(left) ? .dropped : .left, at: left.date))
                }
            }
            for drop in row.disconnections.suffix(recent) where !ends.contains(drop.at) {
                movements.append(Movement(name: name, kind: .dropped, at: drop.at.date))
                if drop.bounced, let back = drop.returnedAt { movements.append(Movement(name: name, kind: .joined, at: back.date)) }
            }
            for drop in row.disconnections where drop.returnedAt == nil && since.map({ drop.at >= $0 }) ?? false {
                dropped.append((name, drop.at.date))
            }
            guard row.inRoom, let stay = row.inRoomSince else { continue }
            present.insert(name)
            // This occurrence only: a recurring meeting's earlier days are on the person's page.
            let cut = since.map { $0.milliseconds - 600_000 }
            let earlier = row.sessions.filter { session in cut.map { (session.joinedAt?.milliseconds ?? .max) < $0 } ?? false }
            inRoom.append(Attendee(name: name, person: audience.personKey(row.name), inRoomSince: stay.date,
                                   secondsInRoom: row.secondsInRoom(at: BSONDate(now)) - earlier.reduce(0) { $0 + $1.secondsConnected },
                                   sessions: row.sessionCount - earlier.count,
                                   disconnections: row.disconnections.count { drop in cut.map { drop.at.milliseconds >= $0 } ?? true },
                                   breakoutRoom: row.room))
        }
        inRoom.sort { ($0.inRoomSince, $0.name) < ($1.inRoomSince, $1.name) }
        // Only while the class goes on: after it, everyone is "not back".
        let away = count == 0 ? [] : dropped.filter { !present.contains($0.name) }.map { Away(name: $0.name, droppedAt: $0.at) }
            .sorted { ($0.droppedAt, $0.name) > ($1.droppedAt, $1.name) }
        movements.sort { ($0.at, $0.name) > ($1.at, $1.name) }
        return Room(meetingID: meetingID, topic: data.topics[meetingID], inRoomCount: count, inRoom: inRoom, away: away,
                    recent: Array(movements.prefix(recent)), lastActivity: movements.first?.at,
                    instance: instance?.id, startedAt: instance?.startedAt?.date)
    }
}
