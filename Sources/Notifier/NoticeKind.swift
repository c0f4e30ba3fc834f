/// What a notice tells, which decides its colour, its wording and whether it coalesces.
public enum NoticeKind: String, Sendable, CaseIterable, Hashable {
    case joined, left, disconnected
    case waiting, admitted
    case meetingStarted = "meeting_started", meetingEnded = "meeting_ended"
    case sharingStarted = "sharing_started", sharingEnded = "sharing_ended"
    case alert, incident
    /// An event the notifier has no wording for (a binding added by hand): shown by name.
    case other

    public init(_ event: ZoomEvent) {
        switch event.name {
        case "meeting.participant_joined": self = .joined
        case "meeting.participant_left":
            self = LeaveReason(event.participant?.leaveReason)?.isDisconnection == true ? .disconnected : .left
        case "meeting.participant_joined_waiting_room": self = .waiting
        case "meeting.participant_admitted": self = .admitted
        case "meeting.started": self = .meetingStarted
        case "meeting.ended": self = .meetingEnded
        case "meeting.sharing_started": self = .sharingStarted
        case "meeting.sharing_ended": self = .sharingEnded
        case "meeting.alert": self = .alert
        case let name where name.hasPrefix("lookout.incident."): self = .incident
        default: self = .other
        }
    }

    /// People coming and going arrive in storms (a class starting): these are grouped per meeting.
    public var coalesces: Bool {
        switch self {
        case .joined, .left, .disconnected, .waiting, .admitted: true
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
        case .meetingStarted: "#1E6FD9"
        case .meetingEnded: "#5A6B8C"
        case .sharingStarted, .sharingEnded: "#8E5BC2"
        case .alert, .incident: "#D24B4E"
        case .other: "#9AA0A6"
        }
    }

    /// What happened, after a name ("Ada joined") or a count ("14 joined").
    public func verb(plural: Bool) -> String {
        switch self {
        case .joined: "joined"
        case .left: "left"
        case .disconnected: "got disconnected"
        case .waiting: plural ? "are in the waiting room" : "is in the waiting room"
        case .admitted: plural ? "were admitted" : "was admitted"
        case .meetingStarted: "started"
        case .meetingEnded: "ended"
        case .sharingStarted: "started sharing"
        case .sharingEnded: "stopped sharing"
        case .alert: "raised an alert"
        case .incident: "disconnected together"
        case .other: "sent an event"
        }
    }
}
