import EventStore
import Foundation
import Projections

/// Projections in MongoDB, one collection each. Facts are inserted under their event's key;
/// derived documents are replaced only by a version computed from more facts (`fact_count`),
/// so concurrent replicas and redeliveries converge on the same documents.
public struct MongoProjectionStore: ProjectionStore {
    enum Collection {
        static let attendance = "attendance"
        static let presence = "presence"
        static let disconnections = "disconnections"
        static let meetings = "meetings"
        static let incidents = "meeting_incidents"
        static let alerts = "alerts"
        static let announced = "incident_announcements"
        /// One document, `{_id: "projections", version, changed_at}`, bumped after every batch.
        static let changes = "projection_changes"
        static let derived = [presence, disconnections, meetings, incidents, alerts, attendance]
    }

    private let database: MongoDatabase

    public init(database: MongoDatabase) {
        self.database = database
    }

    public func prepare() async throws(StoreError) {
        try await database.ensureIndexes(Collection.attendance, [["group"], ["meeting_uuid"], ["meeting_id", "network"]])
        try await database.ensureIndexes(Collection.presence, [["meeting_id"], ["name"]])
        try await database.ensureIndexes(Collection.disconnections, [["meeting_id"], ["at"]])
        try await database.ensureIndexes(Collection.incidents, [["incidents.started_at"]])
        try await database.ensureIndexes(Collection.alerts, [["meeting_id"], ["at"]])
    }

    public func record(_ inputs: [ProjectionInput]) async throws(StoreError) {
        var facts: [WriteOperation] = [], alerts: [WriteOperation] = [], meetings: [WriteOperation] = []
        for input in inputs {
            switch input {
            case .attendance(let fact, _): facts.append(.insert(try ExtendedJSON.encode(fact)))
            case .alert(let alert, _): alerts.append(.insert(try ExtendedJSON.encode(alert)))
            case .lifecycle, .ignored: break
            }
            if let lifecycle = input.lifecycle { meetings.append(Self.merge(lifecycle)) }
        }
        try await write(Collection.attendance, facts)
        try await write(Collection.alerts, alerts)
        try await write(Collection.meetings, meetings)
    }

    /// `$min` of the start, `$max` of the end: any order of started/ended gives the same document.
    static func merge(_ lifecycle: MeetingLifecycle) -> WriteOperation {
        var set: [String: String] = ["meeting_id": ExtendedJSON.string(lifecycle.meetingID)]
        if let topic = lifecycle.topic { set["topic"] = ExtendedJSON.string(topic) }
        if let host = lifecycle.hostID { set["host_id"] = ExtendedJSON.string(host) }
        var update = [#""$set": \#(ExtendedJSON.object(set))"#]
        if let started = lifecycle.startedAt { update.append(#""$min": {"started_at": \#(ExtendedJSON.date(started.date))}"#) }
        if let ended = lifecycle.endedAt { update.append(#""$max": {"ended_at": \#(ExtendedJSON.date(ended.date))}"#) }
        return .updateOne(filter: #"{"_id": \#(ExtendedJSON.string(lifecycle.instance))}"#,
                          update: "{" + update.joined(separator: ", ") + "}", upsert: true)
    }

    public func facts(for touched: Projector.Touched) async throws(StoreError) -> ProjectionFacts {
        var facts = ProjectionFacts()
        facts.groupFacts = try await attendance(#"{"group": {"$in": \#(ExtendedJSON.array(touched.groups))}}"#)
        // Two indexed queries rather than one `$or`: the branches are disjoint (uuid set / uuid null),
        // and a server that cannot use an index per branch would scan every fact ever stored
        // (the MongoDB-wire server does: docs/benchmarks.md).
        let instances = ExtendedJSON.array(touched.instances)
        facts.instanceFacts = try await attendance(#"{"meeting_uuid": {"$in": \#(instances)}}"#)
            + attendance(#"{"meeting_id": {"$in": \#(instances)}, "meeting_uuid": null}"#)
        facts.drops = try await attendance(#"{"meeting_id": {"$in": \#(ExtendedJSON.array(touched.dropMeetings))}, "network": true}"#)
        return facts
    }

    private func attendance(_ filter: String) async throws(StoreError) -> [AttendanceFact] {
        try await database.find(Collection.attendance, filter: filter).map { json throws(StoreError) in try ExtendedJSON.decode(json) }
    }

    public func save(_ update: Projector.Update) async throws(StoreError) {
        try await write(Collection.presence, try Self.guarded(update.presence, id: \.id, factCount: \.factCount))
        try await write(Collection.disconnections, try Self.guarded(update.disconnections, id: \.id, factCount: \.factCount))
        try await write(Collection.incidents, try Self.guarded(update.incidents, id: \.id, factCount: \.factCount))
        try await write(Collection.meetings, update.peaks.map { peak in
            .updateOne(filter: Self.guardFilter(peak.instance, peak.factCount, field: "peak_fact_count"),
                       update: #"{"$set": {"peak_participants": \#(peak.participants), "peak_fact_count": \#(peak.factCount)}}"#,
                       upsert: true)
        })
    }

    /// Replace-or-insert unless the stored document came from at least as many facts. A newer one
    /// makes the filter miss, the upsert then collides on `_id` (11000), and the write is skipped.
    static func guarded<Document: Encodable>(_ documents: [Document], id: (Document) -> String,
                                             factCount: (Document) -> Int) throws(StoreError) -> [WriteOperation] {
        var operations: [WriteOperation] = []
        for document in documents {
            operations.append(.replaceOne(filter: guardFilter(id(document), factCount(document), field: "fact_count"),
                                          replacement: try ExtendedJSON.encode(document), upsert: true))
        }
        return operations
    }

    /// "Older or absent" as `$not: {$gte}` (which also matches a missing field) rather than an `$or`:
    /// same documents, but a server that plans `$or` as a scan would read the whole collection per
    /// write (the MongoDB-wire server does: docs/benchmarks.md).
    static func guardFilter(_ id: String, _ factCount: Int, field: String) -> String {
        #"{"_id": \#(ExtendedJSON.string(id)), "\#(field)": {"$not": {"$gte": \#(factCount)}}}"#
    }

    public func unannounced(_ incidents: [CollectiveIncident]) async throws(StoreError) -> [CollectiveIncident] {
        guard !incidents.isEmpty else { return [] }
        let done = try await database.find(Collection.announced, filter: #"{"_id": {"$in": \#(ExtendedJSON.array(incidents.map(\.id)))}}"#)
        let ids = Set(done.compactMap { try? (ExtendedJSON.decode($0) as Announced).id })
        return incidents.filter { !ids.contains($0.id) }
    }

    public func markAnnounced(_ incidents: [CollectiveIncident]) async throws(StoreError) {
        try await write(Collection.announced, incidents.map { .insert(#"{"_id": \#(ExtendedJSON.string($0.id))}"#) })
    }

    /// `$inc` rather than a value of our own: concurrent replicas each change the version.
    public func markChanged() async throws(StoreError) {
        try await write(Collection.changes, [.updateOne(filter: #"{"_id": "projections"}"#,
                                                        update: #"{"$inc": {"version": 1}, "$currentDate": {"changed_at": true}}"#,
                                                        upsert: true)])
    }

    /// The change marker's version (0 before the first change): one read by `_id`.
    public func changeVersion() async throws(StoreError) -> Int64 {
        let documents = try await database.find(Collection.changes, filter: #"{"_id": "projections"}"#)
        guard let document = documents.first else { return 0 }
        return (try ExtendedJSON.decode(document) as ChangeMarker).version
    }

    public func snapshot() async throws(StoreError) -> ProjectionSnapshot {
        ProjectionSnapshot(
            presence: try await all(Collection.presence),
            disconnections: try await all(Collection.disconnections),
            incidents: (try await all(Collection.incidents) as [MeetingIncidents]).flatMap(\.incidents),
            meetings: try await all(Collection.meetings),
            alerts: try await all(Collection.alerts))
    }

    private func all<T: Decodable>(_ collection: String) async throws(StoreError) -> [T] {
        try await database.find(collection).map { json throws(StoreError) in try ExtendedJSON.decode(json) }
    }

    public func reset() async throws(StoreError) {
        for collection in Collection.derived {
            try await write(collection, [.deleteMany(filter: "{}")])
        }
    }

    private func write(_ collection: String, _ operations: [WriteOperation]) async throws(StoreError) {
        let result = try await database.bulkWrite(collection, operations)
        if let failure = result.unexpectedFailures.first {
            throw .invalidDocument("\(collection): MongoDB \(failure.code): \(failure.errmsg)")
        }
    }

    private struct ChangeMarker: Decodable {
        let version: Int64
    }

    private struct Announced: Decodable {
        let id: String
        enum CodingKeys: String, CodingKey { case id = "_id" }
    }
}
