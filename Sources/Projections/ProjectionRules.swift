import Foundation

/// What counts as a network disconnection, a bounce and a collective drop, and which meetings
/// are tracked. Defaults are documented in docs/projections.md.
public struct ProjectionRules: Sendable, Codable, Equatable {
    /// Substrings of `leave_reason` (case-insensitive) that mean the network dropped the person.
    public var networkPatterns: [String]
    /// Substrings that override the above: moves between rooms are not disconnections.
    public var excludedPatterns: [String]
    /// A disconnected participant who rejoins within this many seconds "bounced".
    public var bounceSeconds: Int
    /// At least this many participants of one meeting disconnecting ...
    public var collectiveThreshold: Int
    /// ... within this many seconds make a collective disconnection incident.
    public var collectiveWindowSeconds: Int
    public var meetings: MeetingFilter

    public init(networkPatterns: [String] = ["got disconnected", "network connection error", "connection lost",
                                             "network issue", "lost connection", "reconnecting"],
                excludedPatterns: [String] = ["breakout room"],
                bounceSeconds: Int = 120, collectiveThreshold: Int = 3, collectiveWindowSeconds: Int = 60,
                meetings: MeetingFilter = MeetingFilter()) {
        self.networkPatterns = networkPatterns
        self.excludedPatterns = excludedPatterns
        self.bounceSeconds = bounceSeconds
        self.collectiveThreshold = collectiveThreshold
        self.collectiveWindowSeconds = collectiveWindowSeconds
        self.meetings = meetings
    }

    enum CodingKeys: String, CodingKey {
        case networkPatterns = "network_patterns"
        case excludedPatterns = "excluded_patterns"
        case bounceSeconds = "bounce_seconds"
        case collectiveThreshold = "collective_threshold"
        case collectiveWindowSeconds = "collective_window_seconds"
        case meetings
    }

    /// Every key is optional in a rules file; what is left out keeps its default.
    public init(from decoder: any Decoder) throws {
        let defaults = ProjectionRules()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        networkPatterns = try container.decodeIfPresent([String].self, forKey: .networkPatterns) ?? defaults.networkPatterns
        excludedPatterns = try container.decodeIfPresent([String].self, forKey: .excludedPatterns) ?? defaults.excludedPatterns
        bounceSeconds = try container.decodeIfPresent(Int.self, forKey: .bounceSeconds) ?? defaults.bounceSeconds
        collectiveThreshold = try container.decodeIfPresent(Int.self, forKey: .collectiveThreshold) ?? defaults.collectiveThreshold
        collectiveWindowSeconds = try container.decodeIfPresent(Int.self, forKey: .collectiveWindowSeconds) ?? defaults.collectiveWindowSeconds
        meetings = try container.decodeIfPresent(MeetingFilter.self, forKey: .meetings) ?? defaults.meetings
        guard bounceSeconds >= 0, collectiveThreshold >= 2, collectiveWindowSeconds >= 1 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "bounce_seconds must be >= 0, collective_threshold >= 2, collective_window_seconds >= 1"))
        }
    }

    /// Whether a `leave_reason` is a network disconnection.
    public func isNetworkDisconnection(_ reason: String?) -> Bool {
        guard let reason = reason?.lowercased(), !reason.isEmpty else { return false }
        if excludedPatterns.contains(where: { reason.contains($0.lowercased()) }) { return false }
        return networkPatterns.contains { reason.contains($0.lowercased()) }
    }
}

/// Which meetings are tracked: all when every list is empty, else those matching any list.
public struct MeetingFilter: Sendable, Codable, Equatable {
    /// Regular expressions matched against the topic, case-insensitive (e.g. `"^BIO[0-9]+"`).
    public var topicPatterns: [String]
    public var meetingIDs: [String]
    public var hostIDs: [String]

    public init(topicPatterns: [String] = [], meetingIDs: [String] = [], hostIDs: [String] = []) {
        self.topicPatterns = topicPatterns
        self.meetingIDs = meetingIDs
        self.hostIDs = hostIDs
    }

    enum CodingKeys: String, CodingKey {
        case topicPatterns = "topic_patterns"
        case meetingIDs = "meeting_ids"
        case hostIDs = "host_ids"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        topicPatterns = try container.decodeIfPresent([String].self, forKey: .topicPatterns) ?? []
        meetingIDs = try container.decodeIfPresent([String].self, forKey: .meetingIDs) ?? []
        hostIDs = try container.decodeIfPresent([String].self, forKey: .hostIDs) ?? []
        for pattern in topicPatterns where (try? Regex(pattern)) == nil {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath + [CodingKeys.topicPatterns],
                                                    debugDescription: "not a regular expression: \(pattern)"))
        }
    }

    public var tracksEverything: Bool { topicPatterns.isEmpty && meetingIDs.isEmpty && hostIDs.isEmpty }

    public func tracks(meetingID: String, topic: String?, hostID: String?) -> Bool {
        if tracksEverything { return true }
        if meetingIDs.contains(meetingID) { return true }
        if let hostID, hostIDs.contains(hostID) { return true }
        guard let topic else { return false }
        return topicPatterns.contains { pattern in
            (try? Regex(pattern).ignoresCase().firstMatch(in: topic)) != nil
        }
    }
}
