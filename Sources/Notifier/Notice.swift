import Foundation
import LookoutCore
import ZoomModel

/// One thing to tell a channel: an event as one route may show it (privacy already applied).
public struct Notice: Sendable, Equatable {
    public let kind: NoticeKind
    /// For a move or a reconnect: the leave.
    public let event: ZoomEvent
    public let source: EventSource?
    /// For a leave: how long the participant was in, when the join is known.
    public let timeInRoom: TimeInterval?
    /// For a move or a reconnect: the join that completed it.
    public let rejoin: ZoomEvent.Participant?
    /// The route does not post this notice alone: it waits only to meet its other half (a move
    /// or a reconnect the route does post, or a move that cancels it), then goes unposted.
    public let pairingOnly: Bool

    public init(kind: NoticeKind, event: ZoomEvent, source: EventSource?, timeInRoom: TimeInterval? = nil,
                rejoin: ZoomEvent.Participant? = nil, pairingOnly: Bool = false) {
        self.kind = kind
        self.event = event
        self.source = source
        self.timeInRoom = timeInRoom
        self.rejoin = rejoin
        self.pairingOnly = pairingOnly
    }

    /// When it happened: the participant's own time, else the meeting's, else Zoom's event time.
    public var time: Date? {
        let participant = event.participant
        let own: Date? = switch kind {
        case .joined: participant?.joinTime
        case .left, .disconnected: participant?.leaveTime
        case .moved: participant?.leaveTime ?? rejoin?.joinTime
        case .reconnected: rejoin?.joinTime ?? participant?.leaveTime
        case .waiting, .admitted, .sharingStarted, .sharingEnded: participant?.dateTime
        case .meetingStarted: event.meeting.startTime
        case .meetingEnded: event.meeting.endTime
        case .incident: event.incident?.startedAt
        case .alert, .repaired, .other: nil
        }
        return own ?? event.timestamp
    }

    /// What the time field is called for this kind.
    var timeTitle: String {
        switch kind {
        case .joined: "Joined at"
        case .left: "Left at"
        case .disconnected: "Disconnected at"
        case .moved: "Moved at"
        case .reconnected: "Reconnected at"
        case .waiting: "Waiting since"
        case .admitted: "Admitted at"
        case .meetingStarted: "Started at"
        case .meetingEnded: "Ended at"
        case .sharingStarted: "Sharing since"
        case .sharingEnded: "Stopped at"
        case .alert, .incident, .repaired, .other: "Time"
        }
    }

    /// What happened, after the name: a move says where when its reason tells.
    func verb(plural: Bool) -> String {
        kind == .moved ? move.verb : kind.verb(plural: plural)
    }

    var move: RoomMove { RoomMove(reason: event.participant?.leaveReason) }

    var leaveReason: LeaveReason? { LeaveReason(event.participant?.leaveReason) }

    /// For a reconnect: how long the person was away.
    var away: TimeInterval? {
        guard kind == .reconnected, let left = event.participant?.leaveTime, let back = rejoin?.joinTime, back >= left else { return nil }
        return back.timeIntervalSince(left)
    }

    /// Who this notice is about, to count people once in a group: a reconnect comes back under
    /// a new connection, so it is the person (the name); otherwise the connection.
    var person: String {
        let participant = event.participant
        if kind != .reconnected, let attendee = participant?.attendee { return attendee }
        return Identity.normalizedName(participant?.name ?? "")
    }
}
