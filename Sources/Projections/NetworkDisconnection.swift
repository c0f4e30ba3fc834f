import ZoomModel

/// A participant disconnected — a network drop, or a reconnect under a new participant record
/// (which kinds count: `disconnection_kinds`) — and whether they came back within the bounce window.
/// Kept inside the person's presence document, so a leave that a late fact turns into a move
/// stops being a disconnection when the person is recomputed.
public struct NetworkDisconnection: Codable, Sendable, Equatable {
    /// The leave's fact key.
    public let id: String
    public let meetingID: String
    public let attendee: String
    public let name: String
    public let topic: String?
    public let at: BSONDate
    public let reason: String
    public let kind: LeaveKind
    /// The first rejoin (same person, same instance) after the drop, if any.
    public let returnedAt: BSONDate?
    /// Came back within `bounce_seconds`.
    public let bounced: Bool
    public let factCount: Int

    public init(id: String, meetingID: String, attendee: String, name: String, topic: String?, at: BSONDate, reason: String,
                kind: LeaveKind, returnedAt: BSONDate?, bounced: Bool, factCount: Int) {
        self.id = id
        self.meetingID = meetingID
        self.attendee = attendee
        self.name = name
        self.topic = topic
        self.at = at
        self.reason = reason
        self.kind = kind
        self.returnedAt = returnedAt
        self.bounced = bounced
        self.factCount = factCount
    }

    enum CodingKeys: String, CodingKey {
        case id = "_id", meetingID = "meeting_id", attendee, name, topic, at, reason, kind
        case returnedAt = "returned_at", bounced, factCount = "fact_count"
    }
}
