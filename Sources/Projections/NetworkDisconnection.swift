/// A participant dropped by the network (by the rules' reading of `leave_reason`), and whether
/// they came back within the bounce window.
public struct NetworkDisconnection: Codable, Sendable, Equatable {
    public let id: String
    public let meetingID: String
    public let attendee: String
    public let name: String
    public let topic: String?
    public let at: BSONDate
    public let reason: String
    /// The first rejoin (same meeting, same name) after the drop, if any.
    public let returnedAt: BSONDate?
    /// Came back within `bounce_seconds`.
    public let bounced: Bool
    public let factCount: Int

    enum CodingKeys: String, CodingKey {
        case id = "_id", meetingID = "meeting_id", attendee, name, topic, at, reason
        case returnedAt = "returned_at", bounced, factCount = "fact_count"
    }

    /// The disconnections among one group's facts, each with its rejoin.
    static func from(_ groupFacts: [AttendanceFact], rules: ProjectionRules) -> [NetworkDisconnection] {
        let joins = groupFacts.filter { $0.kind == .join }.map(\.at).sorted()
        return groupFacts.filter { $0.kind == .leave && $0.network }.map { leave in
            let returned = joins.first { $0 > leave.at }
            let bounced = returned.map { $0.milliseconds - leave.at.milliseconds <= Int64(rules.bounceSeconds) * 1000 } ?? false
            return NetworkDisconnection(id: leave.id, meetingID: leave.meetingID, attendee: leave.attendee, name: leave.name,
                                        topic: leave.topic, at: leave.at, reason: leave.leaveReason ?? "",
                                        returnedAt: returned, bounced: bounced, factCount: groupFacts.count)
        }.sorted { $0.id < $1.id }
    }
}
