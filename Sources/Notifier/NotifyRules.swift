import Foundation

/// Where notices go: named webhooks, and routes from meetings to hooks. Read from the rules file
/// (`NotifyRules.parse`), checked whole at start.
public struct NotifyRules: Sendable {
    public var hooks: [String: Hook]
    /// Every route whose meeting filter matches gets the notice.
    public var routes: [Route]
    /// For events no route matches; nil drops them.
    public var unmatched: Route?

    public init(hooks: [String: Hook], routes: [Route], unmatched: Route?) {
        self.hooks = hooks
        self.routes = routes
        self.unmatched = unmatched
    }

    /// The routes a meeting's events take.
    public func routes(for meeting: ZoomEvent.Meeting) -> [Route] {
        let matching = routes.filter { $0.meetings.matches(meeting) }
        if matching.isEmpty, let unmatched { return [unmatched] }
        return matching
    }

    public func route(named name: String) -> Route? {
        name == unmatched?.name ? unmatched : routes.first { $0.name == name }
    }
}

/// A Mattermost incoming webhook and how fast it may be posted to.
public struct Hook: Sendable, Equatable {
    public var name: String
    public var url: WebhookURL
    /// Posts per second in the long run, and how many may go at once after a quiet spell.
    public var ratePerSecond: Double
    public var burst: Int

    public init(name: String, url: WebhookURL, ratePerSecond: Double = 1, burst: Int = 5) {
        self.name = name
        self.url = url
        self.ratePerSecond = ratePerSecond
        self.burst = burst
    }
}

/// A hook URL. It contains the hook's secret id, so it prints masked.
public struct WebhookURL: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public let value: String

    public init(_ value: String) { self.value = value }

    /// "https://chat.example.edu/hooks/***"
    public var description: String {
        guard let components = URLComponents(string: value), let scheme = components.scheme, let host = components.host else {
            return "***"
        }
        let port = components.port.map { ":\($0)" } ?? ""
        let path = components.path.components(separatedBy: "/").dropLast().joined(separator: "/")
        return "\(scheme)://\(host)\(port)\(path)/***"
    }

    public var debugDescription: String { description }
}

public struct Route: Sendable {
    public var name: String
    public var meetings: MeetingFilter
    public var hooks: [String]
    /// Mattermost channel override (the hook's own channel when nil).
    public var channel: String?
    public var username: String?
    public var iconURL: String?
    public var iconEmoji: String?
    /// Kinds this route posts; nil posts every kind.
    public var kinds: Set<NoticeKind>?
    public var privacy: Privacy
    public var style: NoticeStyle

    public init(name: String, meetings: MeetingFilter = MeetingFilter(), hooks: [String], channel: String? = nil,
                username: String? = nil, iconURL: String? = nil, iconEmoji: String? = nil,
                kinds: Set<NoticeKind>? = nil, privacy: Privacy = .everyone, style: NoticeStyle) {
        self.name = name
        self.meetings = meetings
        self.hooks = hooks
        self.channel = channel
        self.username = username
        self.iconURL = iconURL
        self.iconEmoji = iconEmoji
        self.kinds = kinds
        self.privacy = privacy
        self.style = style
    }

    public var targets: [NotifyTarget] { hooks.map { NotifyTarget(route: name, hook: $0) } }
}

/// Which meetings a route covers: all the given conditions hold (an empty filter matches all).
public struct MeetingFilter: Sendable, Equatable {
    /// Meeting ids, digits only ("850 1234 5678" is written as Zoom shows it, spaces ignored).
    public var ids: Set<String>
    /// Topic patterns: `*` any run of characters, `?` one; case-insensitive; any one may match.
    public var topics: [String]
    public var hostIDs: Set<String>

    public init(ids: Set<String> = [], topics: [String] = [], hostIDs: Set<String> = []) {
        self.ids = Set(ids.map(Self.normalized))
        self.topics = topics
        self.hostIDs = hostIDs
    }

    public func matches(_ meeting: ZoomEvent.Meeting) -> Bool {
        (ids.isEmpty || ids.contains(Self.normalized(meeting.id)))
            && (hostIDs.isEmpty || meeting.hostID.map(hostIDs.contains) == true)
            && (topics.isEmpty || topics.contains { Glob.matches($0, meeting.topic ?? "") })
    }

    static func normalized(_ id: String) -> String { id.filter { !$0.isWhitespace } }
}

/// One route's delivery through one of its hooks: what a post and its retries are addressed to.
public struct NotifyTarget: Sendable, Hashable, CustomStringConvertible {
    public let route: String
    public let hook: String

    public init(route: String, hook: String) {
        self.route = route
        self.hook = hook
    }

    public var description: String { "\(route)/\(hook)" }

    public init?(_ text: Substring) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        self.init(route: String(parts[0]), hook: String(parts[1]))
    }

    /// The header form of a list: "biology/chat,ops/alerts".
    public static func header(_ targets: some Sequence<NotifyTarget>) -> String {
        targets.map(\.description).sorted().joined(separator: ",")
    }

    public static func parse(header: String) -> [NotifyTarget] {
        header.split(separator: ",").compactMap { NotifyTarget($0.trimmingCharacters(in: .whitespaces)[...]) }
    }
}

/// Case-insensitive wildcard match over the whole text.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let pattern = Array(pattern.lowercased()), text = Array(text.lowercased())
        var (p, t, star, mark) = (0, 0, -1, 0)
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p
                mark = t
                p += 1
            } else if star >= 0 {
                p = star + 1
                mark += 1
                t = mark
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
