/// What a `participant_left` was, decided in one place for the projections and the notifier
/// (docs/projections.md#leave-classification). First match wins:
///
/// 1. **move** — into or out of a breakout room: the reason says so, or a join of the same
///    participant in the same instance has the same second, whichever order the two arrived in
///    (about a third of real moves say only `left the meeting`).
/// 2. **network drop** — the reason says the network dropped the person.
/// 3. **reconnect** — the same person (same name in the same instance, or same
///    `participant_uuid`) joined again within `bounce_seconds`, whatever the reason says: Zoom
///    gives the new connection a new `participant_uuid` and usually writes only `left the meeting`.
/// 4. **app closed** — `Client Close`: the app was closed (most never came back).
/// 5. **host ended** — `Host ended the meeting`.
/// 6. **left**.
public enum LeaveKind: String, Codable, Sendable, CaseIterable, Hashable {
    case move
    case networkDrop = "network_drop"
    case reconnect
    case appClosed = "app_closed"
    case hostEnded = "host_ended"
    case left
}

/// What a leave reason says on its own, before the other facts are known.
public enum ReasonClass: String, Codable, Sendable, Hashable {
    case move, network, appClosed = "app_closed", hostEnded = "host_ended", plain
}

/// A join or a leave of one connection, as much as the classification needs.
public struct Movement: Sendable, Equatable {
    public enum Direction: Sendable, Equatable { case join, leave }

    /// Milliseconds since 1970 (Zoom gives whole seconds).
    public let at: Int64
    public let direction: Direction
    public let instance: String
    /// `Identity.attendee`.
    public let attendee: String
    /// nil when Zoom gave none (older payloads, the Report API).
    public let participantUUID: String?
    /// Leaves: what the reason says.
    public let reason: ReasonClass

    public init(at: Int64, direction: Direction, instance: String, attendee: String, participantUUID: String?,
                reason: ReasonClass = .plain) {
        self.at = at
        self.direction = direction
        self.instance = instance
        self.attendee = attendee
        self.participantUUID = participantUUID.flatMap { $0.isEmpty ? nil : $0 }
        self.reason = reason
    }

    var second: Int64 { at >= 0 ? at / 1000 : (at - 999) / 1000 }
}

/// The configurable part of the classification (the projection rules file, docs/projections.md).
public struct LeaveRules: Sendable, Equatable {
    /// Substrings of `leave_reason` (case-insensitive) that mean the network dropped the person.
    public var networkPatterns: [String]
    /// Substrings that mean a move between rooms.
    public var movePatterns: [String]
    public var appClosedPatterns: [String]
    public var hostEndedPatterns: [String]
    /// A rejoin within this many seconds makes a leave a reconnect (and a drop "bounced").
    public var bounceSeconds: Int
    /// The kinds counted as disconnections (individual and collective).
    public var disconnectionKinds: Set<LeaveKind>

    public static let defaultNetworkPatterns = ["got disconnected", "network connection error", "connection lost",
                                                "network issue", "lost connection", "reconnecting"]

    public init(networkPatterns: [String] = Self.defaultNetworkPatterns, movePatterns: [String] = ["breakout room"],
                appClosedPatterns: [String] = ["client close"], hostEndedPatterns: [String] = ["host ended"],
                bounceSeconds: Int = 120, disconnectionKinds: Set<LeaveKind> = [.networkDrop, .reconnect]) {
        self.networkPatterns = networkPatterns
        self.movePatterns = movePatterns
        self.appClosedPatterns = appClosedPatterns
        self.hostEndedPatterns = hostEndedPatterns
        self.bounceSeconds = bounceSeconds
        self.disconnectionKinds = disconnectionKinds
    }

    /// What a reason says on its own: move, then app closed, then host ended, then network.
    /// `Client Close` comes before network because its text also says "got disconnected".
    public func reasonClass(_ reason: String?) -> ReasonClass {
        guard let lowered = reason?.lowercased(), !lowered.isEmpty else { return .plain }
        func says(_ patterns: [String]) -> Bool { patterns.contains { !$0.isEmpty && lowered.contains($0.lowercased()) } }
        if says(movePatterns) { return .move }
        if says(appClosedPatterns) { return .appClosed }
        if says(hostEndedPatterns) { return .hostEnded }
        if says(networkPatterns) { return .network }
        return .plain
    }

    /// Classifies one leave among the movements of the same person (same meeting, same
    /// normalised name; any order, duplicates allowed).
    public func classify(_ leave: Movement, among movements: [Movement]) -> LeaveKind {
        if leave.reason == .move || movements.contains(where: { isMove($0, of: leave) }) { return .move }
        if leave.reason == .network { return .networkDrop }
        if isBounce(leave, rejoin: rejoin(after: leave, among: movements)) { return .reconnect }
        switch leave.reason {
        case .appClosed: return .appClosed
        case .hostEnded: return .hostEnded
        default: return .left
        }
    }

    /// The first join of the same person after the leave (a later second, same instance), if any
    /// — whether or not it came within the bounce window.
    public func rejoin(after leave: Movement, among movements: [Movement]) -> Movement? {
        movements.filter { $0.direction == .join && $0.instance == leave.instance && $0.second > leave.second }
            .min { ($0.at, $0.attendee) < ($1.at, $1.attendee) }
    }

    /// Whether the rejoin came within `bounceSeconds`.
    public func isBounce(_ leave: Movement, rejoin: Movement?) -> Bool {
        guard let rejoin else { return false }
        return rejoin.at - leave.at <= Int64(bounceSeconds) * 1000
    }

    /// Whether `join` is the other half of a room move out of `leave`: the same instance and the
    /// same second, and the same `participant_uuid` when both have one (the caller matches the
    /// person when they do not).
    public func isMove(_ join: Movement, of leave: Movement) -> Bool {
        guard join.direction == .join, join.instance == leave.instance, join.second == leave.second else { return false }
        // Two connections with their own participant_uuid in the same second: a (fast) reconnect.
        if let a = join.participantUUID, let b = leave.participantUUID { return a == b }
        return true
    }
}
