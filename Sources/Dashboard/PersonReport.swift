import Foundation
import Projections

/// One person over a period — the follow-up the Zoom Dashboard seed asks for: their meetings,
/// time in room, drops and reconnects per day, and each stay (also as CSV). Across meetings: a
/// person is their normalised name (docs/projections.md#identity).
public struct PersonReport: Encodable, Sendable, Equatable {
    public struct Stay: Encodable, Sendable, Equatable {
        public let meetingID: String
        public let topic: String?
        public let instance: String?
        public let joinedAt: Date
        public let leftAt: Date?
        public let secondsConnected: Int
        public let moves: Int
        public let reconnects: Int
        public let drops: Int
    }

    public struct Meeting: Encodable, Sendable, Equatable {
        public let meetingID: String
        public let topic: String?
        public let stays: Int
        public let secondsInRoom: Int
        public let drops: Int
        public let reconnects: Int
    }

    public let name: String
    public let person: String
    public let generatedAt: Date
    public let from: Date
    public let until: Date
    public let stats: PeriodStats
    public let meetings: [Meeting]
    public let stayCount: Int
    public let stays: [Stay]
    /// Zoom gives device and network only in its Dashboard API's participant lists, which the
    /// projections do not keep: said, not guessed.
    public let devices: String

    static func make(_ data: DashboardData, person: Int, key: String, audience: Audience, period: Period, calendar: Calendar,
                     now: Date, limit: Int) -> PersonReport? {
        let rows = data.rowsByPerson[person]
        guard let first = rows.first, let name = audience.name(data.row(first).name) else { return nil }
        var stays: [Stay] = []
        for index in rows {
            let row = data.row(index)
            for session in row.sessions {
                guard let joined = session.joinedAt, period.overlaps(joined.date, session.leftAt?.date ?? now) else { continue }
                let end = session.leftAt ?? BSONDate(now)
                let drops = row.disconnections.filter { $0.at >= joined && $0.at <= end }
                let open = session.leftAt == nil && row.inRoom
                stays.append(Stay(meetingID: row.meetingID, topic: data.topics[row.meetingID],
                                  instance: data.instance(of: row.meetingID, at: joined.milliseconds).map { data.meetings[$0].id },
                                  joinedAt: joined.date, leftAt: session.leftAt?.date,
                                  secondsConnected: open ? row.secondsInRoom(at: BSONDate(now)) - row.secondsInRoom + session.secondsConnected
                                      : session.secondsConnected,
                                  moves: session.moves, reconnects: session.reconnects, drops: drops.count { $0.kind != .reconnect }))
            }
        }
        stays.sort { ($0.joinedAt, $0.meetingID) > ($1.joinedAt, $1.meetingID) }
        let meetings = Dictionary(grouping: stays, by: \.meetingID).map { id, stays in
            Meeting(meetingID: id, topic: data.topics[id], stays: stays.count, secondsInRoom: stays.reduce(0) { $0 + $1.secondsConnected },
                    drops: stays.reduce(0) { $0 + $1.drops }, reconnects: stays.reduce(0) { $0 + $1.reconnects })
        }.sorted { ($0.secondsInRoom, $1.meetingID) > ($1.secondsInRoom, $0.meetingID) }
        let bucket: Period.Bucket = period.bucket == .hour ? .hour : .day
        return PersonReport(name: name, person: key, generatedAt: now, from: period.start, until: min(period.end, now),
                            stats: PeriodStats.make(data, period: period, bucket: bucket, calendar: calendar, now: now, rows: Set(rows)),
                            meetings: meetings, stayCount: stays.count, stays: Array(stays.prefix(limit)),
                            devices: "not recorded: Zoom gives device and network in its Dashboard API participant lists, which Lookout's projections do not keep")
    }

    /// Every stay shown, one row each, dates in ISO 8601 UTC (like the Zoho exports).
    static func csv(_ report: PersonReport) -> String {
        let header = ["participant", "meeting_id", "meeting_topic", "instance", "joined_at", "left_at", "seconds_connected",
                      "moves", "reconnects", "network_drops"]
        let rows = report.stays.map { stay in
            [report.name, stay.meetingID, stay.topic ?? "", stay.instance ?? "", DisplayClock.iso(stay.joinedAt),
             stay.leftAt.map(DisplayClock.iso) ?? "", String(stay.secondsConnected), String(stay.moves), String(stay.reconnects),
             String(stay.drops)]
        }
        return ([header] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// Double-quoted; a value a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) is
    /// prefixed with `'` (names are user input).
    static func field(_ value: String) -> String {
        var flat = value.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if let first = flat.first, "=+-@".contains(first) { flat = "'" + flat }
        return "\"" + flat.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
