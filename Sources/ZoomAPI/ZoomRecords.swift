import ZoomModel

/// A page of one of Zoom's lists.
public protocol ZoomPage: Decodable, Sendable {
    associatedtype Item: Decodable, Sendable
    var items: [Item] { get }
    var nextPageToken: String? { get }
}

/// Past meeting instances: the Dashboard list (`/metrics/meetings`, which names the host but
/// gives no `host_id`) and the instances of a meeting (`/past_meetings/{id}/instances`: `uuid`
/// and `start_time` only, one page), read by the one Zoom event model.
public struct MeetingsPage: ZoomPage {
    public let meetings: [ZoomEvent.Meeting]
    public let next_page_token: String?
    public var items: [ZoomEvent.Meeting] { meetings }
    public var nextPageToken: String? { next_page_token }
}

/// One participant session (a join and, once over, its leave), from the Dashboard API or the
/// Report API, read by the one Zoom event model.
public struct ParticipantsPage: ZoomPage {
    public let participants: [ZoomEvent.Participant]
    public let next_page_token: String?
    public var items: [ZoomEvent.Participant] { participants }
    public var nextPageToken: String? { next_page_token }
}

/// Which API a meeting's participants came from: the Report API's rows have no
/// `participant_uuid` and no `leave_reason`, and a new `user_id` per session.
public enum ParticipantSource: String, Sendable, Equatable {
    case dashboard, report
}

public struct ParticipantRecords: Sendable, Equatable {
    public var source: ParticipantSource
    public var participants: [ZoomEvent.Participant]

    public init(source: ParticipantSource, participants: [ZoomEvent.Participant]) {
        self.source = source
        self.participants = participants
    }
}
