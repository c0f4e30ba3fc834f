/// How complete one meeting instance's data is: what the webhooks brought, what reconciliation
/// against Zoom's own record filled in, and where the two disagreed. Written into the instance's
/// `meetings` document (`collection_quality`) once reconciliation ran (docs/reconciliation.md).
public struct CollectionQuality: Codable, Sendable, Equatable {
    /// Join facts known before reconciliation (webhooks, earlier backfills).
    public let sessionsSeen: Int
    /// Sessions of Zoom's record of which a join or a leave was missing and was filled in.
    public let sessionsFilled: Int
    /// Joins and leaves published by reconciliation.
    public let factsFilled: Int
    /// Joins and leaves Zoom's record has at another time than a fact already known for the same
    /// person (the known fact is kept: docs/reconciliation.md#conflicts).
    public let conflicts: Int
    /// Zoom's record: `dashboard` or `report`.
    public let source: String
    public let reconciledAt: BSONDate

    public init(sessionsSeen: Int, sessionsFilled: Int, factsFilled: Int, conflicts: Int, source: String, reconciledAt: BSONDate) {
        self.sessionsSeen = sessionsSeen
        self.sessionsFilled = sessionsFilled
        self.factsFilled = factsFilled
        self.conflicts = conflicts
        self.source = source
        self.reconciledAt = reconciledAt
    }

    enum CodingKeys: String, CodingKey {
        case sessionsSeen = "sessions_seen", sessionsFilled = "sessions_filled", factsFilled = "facts_filled"
        case conflicts, source, reconciledAt = "reconciled_at"
    }
}
