import Foundation

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
    /// of their own (see `AttendanceFact.key`). Throws only when the body can never be projected (not JSON, no payload).
    public static func from(body: [UInt8], id: String, rules: ProjectionRules) throws -> ProjectionInput {
        let event = try JSONDecoder().decode(MeetingEvent.self, from: Data(body))
        let object = event.object
        guard !object.id.isEmpty else { return .ignored("no meeting id") }
        guard rules.meetings.tracks(meetingID: object.id, topic: object.topic, hostID: object.hostID) else {
            return .ignored("meeting not tracked by the rules")
        }
        let eventTime = event.eventTimestamp.map(BSONDate.init(milliseconds:))
        let instance = object.uuid.flatMap { $0.isEmpty ? nil : $0 } ?? object.id
        func lifecycle(started: BSONDate? = nil, ended: BSONDate? = nil) -> MeetingLifecycle {
            MeetingLifecycle(instance: instance, meetingID: object.id, topic: object.topic, hostID: object.hostID,
                             startedAt: started, endedAt: ended)
        }
        switch event.event {
        case "meeting.started":
            return .lifecycle(lifecycle(started: ZoomTime.parse(object.startTime).map(BSONDate.init) ?? eventTime))
        case "meeting.ended":
            return .lifecycle(lifecycle(ended: ZoomTime.parse(object.endTime).map(BSONDate.init) ?? eventTime))
        case "meeting.participant_joined", "meeting.participant_left":
            guard let participant = object.participant, let attendee = participant.attendeeKey else {
                return .ignored("participant without any identity")
            }
            let joined = event.event == "meeting.participant_joined"
            guard let at = ZoomTime.parse(joined ? participant.joinTime : participant.leaveTime).map(BSONDate.init) ?? eventTime else {
                return .ignored("participant event without a time")
            }
            let reason = joined ? nil : participant.leaveReason
            let kind: AttendanceFact.Kind = joined ? .join : .leave
            let fact = AttendanceFact(id: AttendanceFact.key(instance: instance, attendee: attendee, kind: kind, at: at),
                                      meetingID: object.id, meetingUUID: object.uuid, attendee: attendee,
                                      name: participant.userName ?? attendee, kind: kind, at: at,
                                      leaveReason: reason, network: rules.isNetworkDisconnection(reason), topic: object.topic)
            return .attendance(fact, lifecycle())
        case "meeting.alert":
            guard let at = eventTime else { return .ignored("alert without event_ts") }
            return .alert(QualityAlert(id: id, meetingID: object.id, meetingUUID: object.uuid, topic: object.topic,
                                       at: at, issues: object.issues ?? []), lifecycle())
        default:
            return .ignored("not projected: \(event.event)")
        }
    }
}
