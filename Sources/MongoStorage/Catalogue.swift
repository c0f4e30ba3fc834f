/// An ascending index over one field, or compound over several, named as Lookout has always
/// named them (`a_b_1`): creating it again under the same name is a no-op on the server.
public struct IndexSpec: Sendable, Equatable {
    public let fields: [String]

    public init(_ fields: [String]) { self.fields = fields }

    public var name: String { fields.joined(separator: "_") + "_1" }
    var key: BSONDocument { BSONDocument(fields.map { ($0, BSON.int32(1)) }) }
}

/// A collection and the indexes its queries rely on.
public struct StoredCollection: Sendable, Equatable {
    public let name: String
    public let indexes: [IndexSpec]

    public init(_ name: String, indexes: [[String]] = []) {
        self.name = name
        self.indexes = indexes.map(IndexSpec.init)
    }

    init(_ name: String, indexes: [IndexSpec]) {
        self.name = name
        self.indexes = indexes
    }
}

/// Every MongoDB collection Lookout keeps, and its indexes: the one place they are declared.
/// Each store's `prepare()` creates the indexes of its collections from here.
public enum Catalogue {
    // Raw events (StoreWorker): `_id` = idempotency key; the fields queries and dashboards filter on.
    public static let events = StoredCollection("events", indexes: [["event_ts"], ["payload.object.id"],
                                                                     ["payload.object.participant.user_name"], ["received_at"]])

    // Projections (MongoProjectionStore).
    public static let attendance = StoredCollection("attendance", indexes: [["group"], ["meeting_uuid"]])
    public static let presence = StoredCollection("presence", indexes: [["meeting_id"], ["name"], ["changed_at"]])
    /// Written before issue 13; disconnections now live in their person's presence document.
    public static let disconnections = StoredCollection("disconnections")
    /// Meeting instances; `ended_at` is reconciliation's (which instances are due).
    public static let meetings = StoredCollection("meetings", indexes: [["changed_at"], ["ended_at"]])
    public static let incidents = StoredCollection("meeting_incidents", indexes: [["meeting_id"], ["incidents.started_at"], ["changed_at"]])
    public static let alerts = StoredCollection("alerts", indexes: [["meeting_id"], ["at"], ["changed_at"]])
    public static let announcements = StoredCollection("incident_announcements")
    /// One document, `{_id: "projections", version, changed_at}`, bumped after every batch.
    public static let projectionChanges = StoredCollection("projection_changes")

    // Ledgers.
    /// Backfill's resume cursor, `_id` = meeting UUID.
    public static let backfillMeetings = StoredCollection("backfill_meetings")
    /// Zoom API daily budget, `_id` = "<account>/<day>".
    public static let zoomUsage = StoredCollection("zoom_api_usage")
    /// Zoho: one document per view (the whole CSV's digest) and one per row.
    public static let zohoTables = StoredCollection("zoho_uploads")
    public static let zohoRows = StoredCollection("zoho_rows", indexes: [["view"]])

    public static let all = [events, attendance, presence, disconnections, meetings, incidents, alerts, announcements,
                             projectionChanges, backfillMeetings, zoomUsage, zohoTables, zohoRows]
}
