import Foundation
import Projections

/// Who is in each room now, since when, and the latest joins and leaves. Names are grouped as the
/// dashboard CSV groups them: one person may have several participant records (a reconnect).
public struct RoomReport: Encodable, Sendable, Equatable {
    public struct Attendee: Encodable, Sendable, Equatable {
        public let name: String
        /// Start of the current stay (the earliest open session).
        public let inRoomSince: Date
        /// Completed sessions plus the current one.
        public let secondsInRoom: Int
        public let sessions: Int
        public let disconnections: Int
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
        public let inRoom: [Attendee]
        public let away: [Away]
        public let recent: [Movement]
        public let lastActivity: Date?
    }

    public let generatedAt: Date
    public let rooms: [Room]

    public static func make(_ snapshot: ProjectionSnapshot, privacy: ExportPrivacy, now: Date,
                            query: DashboardQuery = DashboardQuery()) -> RoomReport {
        let presence = snapshot.presence.filter { query.meetingID == nil || $0.meetingID == query.meetingID }
        let drops = Dictionary(grouping: snapshot.disconnections, by: \.meetingID)
        let topics = snapshot.topics
        let rooms = Dictionary(grouping: presence, by: \.meetingID).map { meetingID, rows in
            room(meetingID, topic: topics[meetingID], rows, drops: drops[meetingID] ?? [], privacy: privacy, now: now, recent: query.recent)
        }
        return RoomReport(generatedAt: now, rooms: rooms.sorted { a, b in
            let (lastA, lastB) = (a.lastActivity ?? .distantPast, b.lastActivity ?? .distantPast)
            return (a.inRoom.count, lastA, b.meetingID) > (b.inRoom.count, lastB, a.meetingID)
        })
    }

    private static func room(_ meetingID: String, topic: String?, _ rows: [ParticipantPresence], drops: [NetworkDisconnection],
                             privacy: ExportPrivacy, now: Date, recent: Int) -> Room {
        let dropKeys = Set(drops.map { DropKey(attendee: $0.attendee, at: $0.at) })
        var people: [String: [ParticipantPresence]] = [:]
        var movements: [Movement] = []
        for row in rows {
            guard let name = privacy.displayName(row.name) else { continue }
            people[name, default: []].append(row)
            for session in row.sessions {
                if let joined = session.joinedAt { movements.append(Movement(name: name, kind: .joined, at: joined.date)) }
                if let left = session.leftAt {
                    let dropped = dropKeys.contains(DropKey(attendee: row.attendee, at: left))
                    movements.append(Movement(name: name, kind: dropped ? .dropped : .left, at: left.date))
                }
            }
        }
        let inRoom = people.compactMap { name, rows -> Attendee? in
            guard let openSince = rows.filter(\.inRoom).compactMap(\.lastJoin).min() else { return nil }
            let current = max(0, Int(now.timeIntervalSince(openSince.date)))
            return Attendee(name: name, inRoomSince: openSince.date, secondsInRoom: rows.map(\.secondsInRoom).reduce(0, +) + current,
                            sessions: rows.map(\.sessionCount).reduce(0, +),
                            disconnections: drops.count { privacy.displayName($0.name) == name })
        }.sorted { ($0.inRoomSince, $0.name) < ($1.inRoomSince, $1.name) }
        let present = Set(inRoom.map(\.name))
        // Only while the class goes on: after it, everyone is "not back".
        let away = inRoom.isEmpty ? [] : drops.filter { $0.returnedAt == nil }.compactMap { drop -> Away? in
            guard let name = privacy.displayName(drop.name), !present.contains(name) else { return nil }
            return Away(name: name, droppedAt: drop.at.date)
        }.sorted { ($0.droppedAt, $0.name) > ($1.droppedAt, $1.name) }
        movements.sort { ($0.at, $0.name) > ($1.at, $1.name) }
        return Room(meetingID: meetingID, topic: topic, inRoom: inRoom, away: away,
                    recent: Array(movements.prefix(recent)), lastActivity: movements.first?.at)
    }

    private struct DropKey: Hashable {
        let attendee: String
        let at: BSONDate
    }
}
