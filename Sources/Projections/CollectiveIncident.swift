/// Many participants of one meeting dropped at once: at least K distinct participants within W
/// seconds. An incident is opened by such a window and extended by every further drop within W
/// seconds of the previous one.
public struct CollectiveIncident: Codable, Sendable, Equatable {
    public let id: String
    public let meetingID: String
    public let topic: String?
    public let startedAt: BSONDate
    public let endedAt: BSONDate
    public let participants: [String]

    public var participantCount: Int { participants.count }

    enum CodingKeys: String, CodingKey {
        case id, meetingID = "meeting_id", topic, startedAt = "started_at", endedAt = "ended_at", participants
    }

    /// The incidents among one meeting's network disconnections (any order).
    static func detect(in drops: [AttendanceFact], rules: ProjectionRules) -> [CollectiveIncident] {
        let window = Int64(rules.collectiveWindowSeconds) * 1000
        let ordered = drops.sorted { ($0.at, $0.id) < ($1.at, $1.id) }
        var clusters: [[AttendanceFact]] = []
        for drop in ordered {
            if let last = clusters.last?.last, drop.at.milliseconds - last.at.milliseconds <= window {
                clusters[clusters.count - 1].append(drop)
            } else {
                clusters.append([drop])
            }
        }
        return clusters.filter { hasDenseWindow($0, window: window, threshold: rules.collectiveThreshold) }.map { cluster in
            var seen = Set<String>()
            let names = cluster.filter { seen.insert($0.attendee).inserted }.map(\.name)
            return CollectiveIncident(id: "\(cluster[0].meetingID)|\(cluster[0].at.milliseconds)", meetingID: cluster[0].meetingID,
                                      topic: cluster.last { $0.topic != nil }?.topic,
                                      startedAt: cluster[0].at, endedAt: cluster[cluster.count - 1].at, participants: names)
        }
    }

    /// Whether some span of `window` ms holds `threshold` distinct attendees (two pointers).
    private static func hasDenseWindow(_ cluster: [AttendanceFact], window: Int64, threshold: Int) -> Bool {
        var counts: [String: Int] = [:]
        var start = 0
        for end in cluster.indices {
            counts[cluster[end].attendee, default: 0] += 1
            while cluster[end].at.milliseconds - cluster[start].at.milliseconds > window {
                let attendee = cluster[start].attendee
                counts[attendee]! -= 1
                if counts[attendee] == 0 { counts[attendee] = nil }
                start += 1
            }
            if counts.count >= threshold { return true }
        }
        return false
    }
}

/// A meeting's incidents in one document, written atomically.
public struct MeetingIncidents: Codable, Sendable, Equatable {
    public let id: String
    public let incidents: [CollectiveIncident]
    public let factCount: Int

    enum CodingKeys: String, CodingKey { case id = "_id", incidents, factCount = "fact_count" }
}
