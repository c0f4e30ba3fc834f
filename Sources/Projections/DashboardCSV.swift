import Foundation

/// `zoom-room-dashboard.csv`, in the format existing Jekyll pages render from `_data/`:
/// `"Username","Status","Last Join","Last Left"`, one row per user name, most recent action first.
/// Status is the person's presence (a room move or a reconnect does not take them out of the room;
/// the seed's own script showed a moved person as out — correct beats bug-compatible), Last Join
/// the start of their latest stay, Last Left the end of their latest stay that ended.
public enum DashboardCSV {
    public static let inRoom = #"<i class="fa-solid fa-toggle-on"></i>"#
    public static let notInRoom = #"<i class="fa-solid fa-toggle-off"></i>"#

    public static func render(_ presence: [ParticipantPresence], timeZone: TimeZone, privacy: ExportPrivacy,
                              meetingID: String? = nil) -> String {
        // One row per name across meetings: in the room if in any, the latest join and leave.
        var byName: [String: (join: BSONDate?, left: BSONDate?, inRoom: Bool)] = [:]
        for row in presence where meetingID == nil || row.meetingID == meetingID {
            guard let name = privacy.displayName(row.name) else { continue }
            let current = byName[name] ?? (nil, nil, false)
            byName[name] = (max(current.join, row.lastJoin), max(current.left, row.lastLeft), current.inRoom || row.inRoom)
        }
        let rows = byName.map { name, times in (name, times.join, times.left, times.inRoom) }
            .sorted { a, b in
                let latestA = max(a.1, a.2), latestB = max(b.1, b.2)
                return latestA != latestB ? latestA.map { a in latestB.map { a > $0 } ?? true } ?? false : a.0 < b.0
            }
            .map { name, join, left, status -> [String] in
                [name, status ? inRoom : notInRoom, format(join, timeZone), format(left, timeZone)]
            }
        return CSV.render(header: ["Username", "Status", "Last Join", "Last Left"], rows: rows)
    }

    /// `YYYY-MM-DD-HH:MM:SS` in the configured zone, `N/A` when there is no such time.
    static func format(_ date: BSONDate?, _ timeZone: TimeZone) -> String {
        guard let date else { return "N/A" }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date.date)
        return String(format: "%04d-%02d-%02d-%02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }
}

private func max(_ a: BSONDate?, _ b: BSONDate?) -> BSONDate? {
    switch (a, b) {
    case (nil, let x), (let x, nil): x
    case (let a?, let b?): Swift.max(a, b)
    }
}
