import ZoomModel

/// Many participants of one meeting dropped at once: at least K distinct people disconnected (by
/// the leave classification: network drops and reconnects by default) within W seconds. An
/// incident is opened by such a window and extended by every further drop within W seconds of
/// the previous one.
public struct CollectiveIncident: Codable, Sendable, Equatable {
    public let id: String
    public let meetingID: String
    public let topic: String?
    public let startedAt: BSONDate
    public let endedAt: BSONDate
    public let participants: [String]

    public var participantCount: Int { participants.count }

    public init(id: String, meetingID: String, topic: String?, startedAt: BSONDate, endedAt: BSONDate, participants: [String]) {
        self.id = id
        self.meetingID = meetingID
        self.topic = topic
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.participants = participants
    }

    enum CodingKeys: String, CodingKey {
        case id, meetingID = "meeting_id", topic, startedAt = "started_at", endedAt = "ended_at", participants
    }

    struct Drop {
        let at: Int64
        let person: String
        let name: String
    }

    /// The incidents of one meeting instance, from its timeline (any order).
    static func detect(instance: String, meetingID: String, topic: String?, timeline: [InstanceTimeline.Entry],
                       rules: ProjectionRules) -> [CollectiveIncident] {
        let movements = Dictionary(grouping: timeline, by: \.person).mapValues { entries in
            entries.map { InstanceTimeline.movement($0, instance: instance) }
        }
        let drops = timeline.filter { entry in
            entry.kind == .leave
                && rules.isDisconnection(rules.leaves.classify(InstanceTimeline.movement(entry, instance: instance),
                                                               among: movements[entry.person] ?? []))
        }.map { Drop(at: $0.at, person: $0.person, name: $0.name) }
        return detect(drops.sorted { ($0.at, $0.person) < ($1.at, $1.person) }, meetingID: meetingID, topic: topic, rules: rules)
    }

    static func detect(_ ordered: [Drop], meetingID: String, topic: String?, rules: ProjectionRules) -> [CollectiveIncident] {
        let window = Int64(rules.collectiveWindowSeconds) * 1000
        var clusters: [[Drop]] = []
        for drop in ordered {
            if let last = clusters.last?.last, drop.at - last.at <= window {
                clusters[clusters.count - 1].append(drop)
            } else {
                clusters.append([drop])
            }
        }
        return clusters.filter { hasDenseWindow($0, window: window, threshold: rules.collectiveThreshold) }.map { cluster in
            var seen = Set<String>()
            let names = cluster.filter { seen.insert($0.person).inserted }.map(\.name)
            return CollectiveIncident(id: "\(meetingID)|\(cluster[0].at)", meetingID: meetingID, topic: topic,
                                      startedAt: BSONDate(milliseconds: cluster[0].at),
                                      endedAt: BSONDate(milliseconds: cluster[cluster.count - 1].at), participants: names)
        }
    }

    /// Whether some span of `window` ms holds `threshold` distinct people (two pointers).
    private static func hasDenseWindow(_ cluster: [Drop], window: Int64, threshold: Int) -> Bool {
        var counts: [String: Int] = [:]
        var start = 0
        for end in cluster.indices {
            counts[cluster[end].person, default: 0] += 1
            while cluster[end].at - cluster[start].at > window {
                let person = cluster[start].person
                counts[person]! -= 1
                if counts[person] == 0 { counts[person] = nil }
                start += 1
            }
            if counts.count >= threshold { return true }
        }
        return false
    }
}

/// A meeting instance's incidents in one document, written atomically, versioned by the number of
/// timeline entries they were computed from.
public struct MeetingIncidents: Codable, Sendable, Equatable {
    /// The instance.
    public let id: String
    public let meetingID: String?
    public let incidents: [CollectiveIncident]
    public let factCount: Int

    public init(id: String, meetingID: String?, incidents: [CollectiveIncident], factCount: Int) {
        self.id = id
        self.meetingID = meetingID
        self.incidents = incidents
        self.factCount = factCount
    }

    enum CodingKeys: String, CodingKey { case id = "_id", meetingID = "meeting_id", incidents, factCount = "fact_count" }
}
