import Foundation
import ZoomModel

/// How leaves are classified, what makes a collective drop, and which meetings are tracked.
/// Defaults are documented in docs/projections.md.
public struct ProjectionRules: Sendable, Equatable {
    public var leaves: LeaveRules
    /// At least this many participants of one meeting disconnecting ...
    public var collectiveThreshold: Int
    /// ... within this many seconds make a collective disconnection incident.
    public var collectiveWindowSeconds: Int
    public var meetings: MeetingFilter

    public init(leaves: LeaveRules = LeaveRules(), collectiveThreshold: Int = 3, collectiveWindowSeconds: Int = 60,
                meetings: MeetingFilter = MeetingFilter()) {
        self.leaves = leaves
        self.collectiveThreshold = collectiveThreshold
        self.collectiveWindowSeconds = collectiveWindowSeconds
        self.meetings = meetings
    }

    public var bounceSeconds: Int { leaves.bounceSeconds }

    /// Whether a leave of this kind counts as a disconnection (individual and collective).
    public func isDisconnection(_ kind: LeaveKind) -> Bool { leaves.disconnectionKinds.contains(kind) }
}

extension ProjectionRules: Codable {
    enum CodingKeys: String, CodingKey {
        case networkPatterns = "network_patterns", movePatterns = "move_patterns", excludedPatterns = "excluded_patterns"
        case appClosedPatterns = "app_closed_patterns", hostEndedPatterns = "host_ended_patterns"
        case bounceSeconds = "bounce_seconds", disconnectionKinds = "disconnection_kinds"
        case collectiveThreshold = "collective_threshold", collectiveWindowSeconds = "collective_window_seconds"
        case meetings
    }

    /// Every key is optional in a rules file; what is left out keeps its default.
    /// `excluded_patterns` (before issue 13) is read as `move_patterns`.
    public init(from decoder: any Decoder) throws {
        let defaults = LeaveRules()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func list(_ key: CodingKeys) throws -> [String]? { try container.decodeIfPresent([String].self, forKey: key) }
        let kinds = try container.decodeIfPresent([String].self, forKey: .disconnectionKinds)
        var disconnectionKinds = defaults.disconnectionKinds
        if let kinds {
            disconnectionKinds = []
            for name in kinds {
                guard let kind = LeaveKind(rawValue: name), kind != .move else {
                    throw DecodingError.dataCorruptedError(forKey: .disconnectionKinds, in: container, debugDescription:
                        "unknown kind \"\(name)\" (known: network_drop, reconnect, app_closed, host_ended, left)")
                }
                disconnectionKinds.insert(kind)
            }
        }
        let leaves = LeaveRules(
            networkPatterns: try list(.networkPatterns) ?? defaults.networkPatterns,
            movePatterns: try list(.movePatterns) ?? list(.excludedPatterns) ?? defaults.movePatterns,
            appClosedPatterns: try list(.appClosedPatterns) ?? defaults.appClosedPatterns,
            hostEndedPatterns: try list(.hostEndedPatterns) ?? defaults.hostEndedPatterns,
            bounceSeconds: try container.decodeIfPresent(Int.self, forKey: .bounceSeconds) ?? defaults.bounceSeconds,
            disconnectionKinds: disconnectionKinds)
        self.init(leaves: leaves,
                  collectiveThreshold: try container.decodeIfPresent(Int.self, forKey: .collectiveThreshold) ?? 3,
                  collectiveWindowSeconds: try container.decodeIfPresent(Int.self, forKey: .collectiveWindowSeconds) ?? 60,
                  meetings: try container.decodeIfPresent(MeetingFilter.self, forKey: .meetings) ?? MeetingFilter())
        guard bounceSeconds >= 0, collectiveThreshold >= 2, collectiveWindowSeconds >= 1 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "bounce_seconds must be >= 0, collective_threshold >= 2, collective_window_seconds >= 1"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(leaves.networkPatterns, forKey: .networkPatterns)
        try container.encode(leaves.movePatterns, forKey: .movePatterns)
        try container.encode(leaves.appClosedPatterns, forKey: .appClosedPatterns)
        try container.encode(leaves.hostEndedPatterns, forKey: .hostEndedPatterns)
        try container.encode(leaves.bounceSeconds, forKey: .bounceSeconds)
        try container.encode(leaves.disconnectionKinds.map(\.rawValue).sorted(), forKey: .disconnectionKinds)
        try container.encode(collectiveThreshold, forKey: .collectiveThreshold)
        try container.encode(collectiveWindowSeconds, forKey: .collectiveWindowSeconds)
        try container.encode(meetings, forKey: .meetings)
    }
}
