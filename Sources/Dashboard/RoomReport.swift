import Foundation
import Projections
import ZoomModel

/// Who is in each room now, since when, in which room (main or a breakout room), and the latest
/// joins and leaves. One row per person: a reconnect's new participant record and every room move
/// are the same stay (`ParticipantPresence`).
public struct RoomReport: Encodable, Sendable, Equatable {
    public struct Attendee: Encodable, Sendable, Equatable {
        public let name: String
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
        let dropKeys = Set(drops.map { DropKey(person: Identity.person(meetingID: $0.meetingID, name: $0.name), at: $0.at) })
        var movements: [Movement] = []
        var inRoom: [Attendee] = []
        for row in rows {
            guard let name = privacy.displayName(row.name) else { continue }
            // Stays begin and end; inside a stay, drops and the rejoins after them.
            var ends = Set<BSONDate>()
            for session in row.sessions {
                if let joined = session.joinedAt { movements.append(Movement(name: name, kind: .joined, at: joined.date)) }
                if let left = session.leftAt {
                    ends.insert(left)
                    let dropped = dropKeys.contains(DropKey(person: row.id, at: left))
                    movements.append(Movement(name: name, kind: dropped ? .dropped : .left, at: left.date))
                }
            }
            for drop in row.disconnections where !ends.contains(drop.at) {
                movements.append(Movement(name: name, kind: .dropped, at: drop.at.date))
                if drop.bounced, let back = drop.returnedAt { movements.append(Movement(name: name, kind: .joined, at: back.date)) }
            }
            guard row.inRoom, let since = row.inRoomSince else { continue }
            inRoom.append(Attendee(name: name, inRoomSince: since.date, secondsInRoom: row.secondsInRoom(at: BSONDate(now)),
                                   sessions: row.sessionCount, disconnections: row.disconnections.count, breakoutRoom: row.room))
        }
        inRoom.sort { ($0.inRoomSince, $0.name) < ($1.inRoomSince, $1.name) }
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
        let person: String
        let at: BSONDate
    }
}
