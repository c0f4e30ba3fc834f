import ZoomModel

/// What a notice tells, which decides its colour, its wording and whether it coalesces.
public enum NoticeKind: String, Sendable, CaseIterable, Hashable {
    case joined, left, disconnected
    /// Into or out of a breakout room: a left and a joined of one connection, told as one.
    case moved
    /// Dropped and back under a new connection within the window: a left and a joined, told as one.
    case reconnected
    case waiting, admitted
    case meetingStarted = "meeting_started", meetingEnded = "meeting_ended"
    case sharingStarted = "sharing_started", sharingEnded = "sharing_ended"
    case alert, incident
    /// Reconciliation filled in what Zoom's webhooks lost (`lookout.reconcile.repaired`).
    case repaired
    /// An event the notifier has no wording for (a binding added by hand): shown by name.
    case other

    /// A leave is told by what its reason says (`LeaveRules.reasonClass`): the network dropped
    /// the person, a move between rooms, or otherwise a plain leave — `Client Close` (the app was
    /// closed) and `Host ended the meeting` included, with the reason shown.
    public init(_ event: ZoomEvent) {
        switch event.name {
        case ZoomEventName.participantJoined: self = .joined
        case ZoomEventName.participantLeft:
            self = switch LeaveRules.notices.reasonClass(event.participant?.leaveReason) {
            case .network: .disconnected
            case .move: .moved
            case .appClosed, .hostEnded, .plain: .left
            }
        case ZoomEventName.joinedWaitingRoom: self = .waiting
        case ZoomEventName.admitted: self = .admitted
        case ZoomEventName.meetingStarted: self = .meetingStarted
        case ZoomEventName.meetingEnded: self = .meetingEnded
        case ZoomEventName.sharingStarted: self = .sharingStarted
        case ZoomEventName.sharingEnded: self = .sharingEnded
        case ZoomEventName.alert: self = .alert
        case let name where name.hasPrefix("lookout.incident."): self = .incident
        case ZoomEventName.dataRepaired: self = .repaired
        default: self = .other
        }
    }

    /// People coming and going: the kinds a route may post about a participant's presence.
    static let presence: [NoticeKind] = [.joined, .left, .disconnected, .moved, .reconnected]

    /// A join or a leave: one half of a move or a reconnect.
    var isHalf: Bool { [.joined, .left, .disconnected, .moved].contains(self) }

    /// People coming and going arrive in storms (a class starting): these are grouped per meeting.
    public var coalesces: Bool {
        switch self {
        case .joined, .left, .disconnected, .moved, .reconnected, .waiting, .admitted: true
        default: false
        }
    }

    /// Attachment colour: green in, grey out, red for trouble, blue for the meeting itself.
    public var color: String {
        switch self {
        case .joined: "#2E9E5B"
        case .admitted: "#26A69A"
        case .waiting: "#E0A526"
        case .left: "#8A8D93"
        case .disconnected: "#D9822B"
        case .moved: "#5B8DB8"
        case .reconnected: "#B5A642"
        case .meetingStarted: "#1E6FD9"
        case .meetingEnded: "#5A6B8C"
        case .sharingStarted, .sharingEnded: "#8E5BC2"
        case .alert, .incident: "#D24B4E"
        case .repaired: "#6C7A89"
        case .other: "#9AA0A6"
        }
    }

    /// What happened, after a name ("Ada joined") or a count ("14 joined"). A move says where
    /// when its reason tells (`RoomMove`).
    public func verb(plural: Bool) -> String {
        switch self {
        case .joined: "joined"
        case .left: "left"
        case .disconnected: "got disconnected"
        case .moved: RoomMove.betweenRooms.verb
        case .reconnected: "reconnected"
        case .waiting: plural ? "are in the waiting room" : "is in the waiting room"
        case .admitted: plural ? "were admitted" : "was admitted"
        case .meetingStarted: "started"
        case .meetingEnded: "ended"
        case .sharingStarted: "started sharing"
        case .sharingEnded: "stopped sharing"
        case .alert: "raised an alert"
        case .incident: "disconnected together"
        case .repaired: "filled in from Zoom's report"
        case .other: "sent an event"
        }
    }
}

/// Where a move went, as far as the leave reason tells: Zoom writes `... to join breakout room`
/// and `... leave breakout room to join main meeting`, but about a third of moves say only
/// `left the meeting`.
public enum RoomMove: Sendable, Hashable {
    case toBreakoutRoom, toMainRoom, betweenRooms

    public init(reason: String?) {
        let lowered = reason?.lowercased() ?? ""
        if lowered.contains("main meeting") || lowered.contains("main room") {
            self = .toMainRoom
        } else if lowered.contains("breakout room") {
            self = .toBreakoutRoom
        } else {
            self = .betweenRooms
        }
    }

    public var verb: String {
        switch self {
        case .toBreakoutRoom: "moved to a breakout room"
        case .toMainRoom: "moved back to the main room"
        case .betweenRooms: "moved between rooms"
        }
    }
}

extension LeaveRules {
    /// The notifier reads leave reasons with the default patterns (the projection rules file
    /// configures the projections' own).
    static let notices = LeaveRules()
}
