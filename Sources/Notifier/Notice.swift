import Foundation
import LookoutCore

/// One thing to tell a channel: an event as one route may show it (privacy already applied).
public struct Notice: Sendable, Equatable {
    public let kind: NoticeKind
    public let event: ZoomEvent
    public let source: EventSource?
    /// For a leave: how long the participant was in, when the join is known.
    public let timeInRoom: TimeInterval?

    public init(kind: NoticeKind, event: ZoomEvent, source: EventSource?, timeInRoom: TimeInterval? = nil) {
        self.kind = kind
        self.event = event
        self.source = source
        self.timeInRoom = timeInRoom
    }

    /// When it happened: the participant's own time, else the meeting's, else Zoom's event time.
    public var time: Date? {
        let participant = event.participant
        let own: Date? = switch kind {
        case .joined: participant?.joinTime
        case .left, .disconnected: participant?.leaveTime
        case .waiting, .admitted, .sharingStarted, .sharingEnded: participant?.dateTime
        case .meetingStarted: event.meeting.startTime
        case .meetingEnded: event.meeting.endTime
        case .incident: event.incident?.startedAt
        case .alert, .other: nil
        }
        return own ?? event.timestamp
    }

    /// What the time field is called for this kind.
    var timeTitle: String {
        switch kind {
        case .joined: "Joined at"
        case .left: "Left at"
        case .disconnected: "Disconnected at"
        case .waiting: "Waiting since"
        case .admitted: "Admitted at"
        case .meetingStarted: "Started at"
        case .meetingEnded: "Ended at"
        case .sharingStarted: "Sharing since"
        case .sharingEnded: "Stopped at"
        case .alert, .incident, .other: "Time"
        }
    }

    var leaveReason: LeaveReason? { LeaveReason(event.participant?.leaveReason) }
}
