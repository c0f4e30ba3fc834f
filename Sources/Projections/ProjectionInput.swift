import Foundation
import ZoomModel

/// What one event contributes to the projections.
public enum ProjectionInput: Sendable, Equatable {
    case attendance(AttendanceFact, MeetingLifecycle)
    case lifecycle(MeetingLifecycle)
    case alert(QualityAlert, MeetingLifecycle)
    /// Valid, but not something projections track (another event, or a meeting the rules skip).
    case ignored(String)

    public var lifecycle: MeetingLifecycle? {
        switch self {
        case .attendance(_, let lifecycle), .lifecycle(let lifecycle), .alert(_, let lifecycle): lifecycle
        case .ignored: nil
        }
    }

    /// Reads a raw Zoom body; `id` (the message id) identifies alerts, attendance facts get a key
    /// of their own (see `AttendanceFact.key`). Throws only when the body is not an event at all.
    public static func from(body: [UInt8], id: String, rules: ProjectionRules) throws(ZoomEventError) -> ProjectionInput {
        from(try ZoomEvent.decode(body), id: id, rules: rules)
    }

    public static func from(_ event: ZoomEvent, id: String, rules: ProjectionRules) -> ProjectionInput {
        let meeting = event.meeting
        guard !meeting.id.isEmpty else { return .ignored("no meeting id") }
        guard rules.meetings.matches(meeting) else { return .ignored("meeting not tracked by the rules") }
        let eventTime = event.eventTS.map(BSONDate.init(milliseconds:))
        func lifecycle(started: BSONDate? = nil, ended: BSONDate? = nil) -> MeetingLifecycle {
            MeetingLifecycle(instance: meeting.instance, meetingID: meeting.id, topic: meeting.topic, hostID: meeting.hostID,
                             startedAt: started, endedAt: ended)
        }
        let kind: AttendanceFact.Kind
        switch event.name {
        case ZoomEventName.meetingStarted:
            return .lifecycle(lifecycle(started: meeting.startTime.map(BSONDate.init) ?? eventTime))
        case ZoomEventName.meetingEnded:
            return .lifecycle(lifecycle(ended: meeting.endTime.map(BSONDate.init) ?? eventTime))
        case ZoomEventName.participantJoined: kind = .join
        case ZoomEventName.participantLeft: kind = .leave
        case ZoomEventName.joinedBreakoutRoom: kind = .roomJoin
        case ZoomEventName.leftBreakoutRoom: kind = .roomLeave
        case ZoomEventName.alert:
            guard let at = eventTime else { return .ignored("alert without event_ts") }
            return .alert(QualityAlert(id: id, meetingID: meeting.id, meetingUUID: meeting.uuid, topic: meeting.topic,
                                       at: at, issues: event.issues), lifecycle())
        default:
            // Waiting room, admission, role changes, sharing: not attendance.
            return .ignored("not projected: \(event.name)")
        }
        guard let participant = event.participant, let attendee = participant.attendee else {
            return .ignored("participant without any identity")
        }
        // Dashboard API records backfilled with `status: in_waiting_room` are not attendance.
        guard participant.status != "in_waiting_room" else { return .ignored("in the waiting room") }
        let joined = kind == .join || kind == .roomJoin
        guard let at = (joined ? participant.joinTime : participant.leaveTime).map(BSONDate.init) ?? eventTime else {
            return .ignored("participant event without a time")
        }
        // A breakout room event's user_id is the room's own ("1677824020…"); the person's
        // participant_uuid is kept, so the room follows the same connection.
        let fact = AttendanceFact(id: AttendanceFact.key(instance: meeting.instance, attendee: attendee, kind: kind, at: at),
                                  meetingID: meeting.id, meetingUUID: meeting.uuid, attendee: attendee,
                                  participantUUID: participant.participantUUID, name: participant.name ?? attendee, kind: kind, at: at,
                                  leaveReason: joined ? nil : participant.leaveReason,
                                  room: kind == .roomJoin || kind == .roomLeave ? meeting.breakoutRoomUUID : nil, topic: meeting.topic)
        return .attendance(fact, lifecycle())
    }
}
