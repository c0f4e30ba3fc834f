import Foundation
import ZoomModel

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
    /// Room moves: one `moved` notice, or nothing.
    public var moves: MovePolicy
    public var privacy: Privacy
    public var style: NoticeStyle

    public init(name: String, meetings: MeetingFilter = MeetingFilter(), hooks: [String], channel: String? = nil,
                username: String? = nil, iconURL: String? = nil, iconEmoji: String? = nil,
                kinds: Set<NoticeKind>? = nil, moves: MovePolicy = .post, privacy: Privacy = .everyone, style: NoticeStyle) {
        self.name = name
        self.meetings = meetings
        self.hooks = hooks
        self.channel = channel
        self.username = username
        self.iconURL = iconURL
        self.iconEmoji = iconEmoji
        self.kinds = kinds
        self.moves = moves
        self.privacy = privacy
        self.style = style
    }

    public var targets: [NotifyTarget] { hooks.map { NotifyTarget(route: name, hook: $0) } }

    /// Whether this route posts notices of `kind`.
    public func posts(_ kind: NoticeKind) -> Bool {
        (kinds?.contains(kind) ?? true) && (kind != .moved || moves == .post)
    }

    /// Whether this route posts anything about people coming and going: then the halves of a
    /// move or a reconnect it does not post alone still wait for their other half.
    var postsPresence: Bool { NoticeKind.presence.contains(where: posts) }

    var pairing: Pairing { Pairing(postsMoves: posts(.moved), postsReconnects: posts(.reconnected)) }
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
