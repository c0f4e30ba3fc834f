import MongoStorage
import Foundation
import Projections

/// Projections in MongoDB, one collection each. Facts are inserted under their event's key;
/// derived documents are replaced only by a version computed from more facts (`fact_count`),
/// so concurrent replicas and redeliveries converge on the same documents. Every derived
/// document written carries `changed_at` (the writer's clock just before the write, indexed), so
/// the export writer reads only what changed since its last read (`changes(since:)`).
public struct MongoProjectionStore: ProjectionStore {
    enum Collection {
        static let attendance = "attendance"
        static let presence = "presence"
        /// Written before issue 13; disconnections now live in their person's presence document.
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
        try await database.ensureIndexes(Collection.attendance, [["group"], ["meeting_uuid"]])
        try await database.ensureIndexes(Collection.presence, [["meeting_id"], ["name"], ["changed_at"]])
        try await database.ensureIndexes(Collection.incidents, [["meeting_id"], ["incidents.started_at"], ["changed_at"]])
        try await database.ensureIndexes(Collection.meetings, [["changed_at"]])
        try await database.ensureIndexes(Collection.alerts, [["meeting_id"], ["at"], ["changed_at"]])
    }

    public func record(_ inputs: [ProjectionInput], merges: [InstanceMerge]) async throws(StoreError) {
        var facts: [WriteOperation] = [], alerts: [QualityAlert] = []
        for input in inputs {
            switch input {
            case .attendance(let fact, _): facts.append(.insert(try ExtendedJSON.encode(fact)))
            case .alert(let alert, _): alerts.append(alert)
            case .lifecycle, .ignored: break
            }
        }
        try await write(Collection.attendance, facts)
        let now = BSONDate(Date())
        try await write(Collection.alerts, try alerts.map { alert throws(StoreError) in
            .insert(try ExtendedJSON.encode(Stamped(alert, changedAt: now)))
        })
        let stamp = BSONDate(Date())
        try await write(Collection.meetings, merges.map { Self.update($0, changedAt: stamp) })
    }

    /// `$set` of the last topic and host, `$min` of the start, `$max` of the end, `$addToSet` of the
    /// joins and leaves to the instance's timeline: any order, and any repetition, of the same
    /// events gives the same document.
    static func update(_ merge: InstanceMerge, changedAt: BSONDate) -> WriteOperation {
        var set: [String: String] = ["meeting_id": ExtendedJSON.string(merge.meetingID),
                                     "changed_at": ExtendedJSON.date(changedAt.date)]
        if let topic = merge.topic { set["topic"] = ExtendedJSON.string(topic) }
        if let host = merge.hostID { set["host_id"] = ExtendedJSON.string(host) }
        var update = [#""$set": \#(ExtendedJSON.object(set))"#]
        if let started = merge.startedAt { update.append(#""$min": {"started_at": \#(ExtendedJSON.date(started.date))}"#) }
        if let ended = merge.endedAt { update.append(#""$max": {"ended_at": \#(ExtendedJSON.date(ended.date))}"#) }
        if !merge.timeline.isEmpty {
            update.append(#""$addToSet": {"timeline": {"$each": \#(ExtendedJSON.array(merge.timeline))}}"#)
        }
        return .updateOne(filter: #"{"_id": \#(ExtendedJSON.string(merge.instance))}"#,
                          update: "{" + update.joined(separator: ", ") + "}", upsert: true)
    }

    public func facts(for touched: Projector.Touched) async throws(StoreError) -> ProjectionFacts {
        var facts = ProjectionFacts()
        facts.groupFacts = try await attendance(#"{"group": {"$in": \#(ExtendedJSON.array(touched.groups))}}"#)
        // The peak's input is one document per instance (its timeline, written by `record` before
        // this read), not every fact of it: before issue 8 this read every fact of every touched
        // instance, thousands per batch in a class-start storm (docs/benchmarks.md).
        // The collective incidents' input too: each instance's timeline classifies its leaves.
        let timelines = try await database.find(Collection.meetings, filter: #"{"_id": {"$in": \#(ExtendedJSON.array(touched.instances))}}"#,
                                                options: #"{"projection": {"timeline": 1, "meeting_id": 1, "topic": 1}}"#)
        for json in timelines {
            let timeline: Timeline = try ExtendedJSON.decode(json)
            facts.timelines.append(Projector.Timeline(instance: timeline.id, meetingID: timeline.meetingID, topic: timeline.topic,
                                                      entries: timeline.entries ?? []))
        }
        return facts
    }

    private func attendance(_ filter: String) async throws(StoreError) -> [AttendanceFact] {
        try await database.find(Collection.attendance, filter: filter).map { json throws(StoreError) in try ExtendedJSON.decode(json) }
    }

    public func save(_ update: Projector.Update) async throws(StoreError) {
        try await write(Collection.presence, try Self.guarded(update.presence, id: \.id, factCount: \.factCount))
        try await write(Collection.incidents, try Self.guarded(update.incidents, id: \.id, factCount: \.factCount))
        let now = ExtendedJSON.date(Date())
        try await write(Collection.meetings, update.peaks.map { peak in
            .updateOne(filter: Self.guardFilter(peak.instance, peak.factCount, field: "peak_fact_count"),
                       update: #"{"$set": {"peak_participants": \#(peak.participants), "peak_fact_count": \#(peak.factCount), "changed_at": \#(now)}}"#,
                       upsert: true)
        })
    }

    /// Replace-or-insert unless the stored document came from at least as many facts. A newer one
    /// makes the filter miss, the upsert then collides on `_id` (11000), and the write is skipped.
    /// Stamped with `changed_at` now, just before the write.
    static func guarded<Document: Encodable>(_ documents: [Document], id: (Document) -> String,
                                             factCount: (Document) -> Int) throws(StoreError) -> [WriteOperation] {
        var operations: [WriteOperation] = []
        let now = BSONDate(Date())
        for document in documents {
            operations.append(.replaceOne(filter: guardFilter(id(document), factCount(document), field: "fact_count"),
                                          replacement: try ExtendedJSON.encode(Stamped(document, changedAt: now)), upsert: true))
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

    /// One instance's timeline entries (nil when the instance is unknown).
    public func timeline(instance: String) async throws(StoreError) -> [String]? {
        var touched = Projector.Touched()
        touched.instances = [instance]
        return try await facts(for: touched).timelines.first?.entries
    }

    /// Documents whose `changed_at` is at or after `since` (an indexed range per collection), or
    /// every document when `since` is nil. Meetings without their timelines (only the peak needs them).
    public func changes(since: BSONDate?) async throws(StoreError) -> ProjectionChanges {
        let filter = since.map { #"{"changed_at": {"$gte": \#(ExtendedJSON.date($0.date))}}"# } ?? "{}"
        return ProjectionChanges(
            presence: try await all(Collection.presence, filter),
            incidents: try await all(Collection.incidents, filter),
            meetings: try await all(Collection.meetings, filter, options: #"{"projection": {"timeline": 0}}"#),
            alerts: try await all(Collection.alerts, filter))
    }

    private func all<T: Decodable>(_ collection: String, _ filter: String = "{}", options: String = "{}") async throws(StoreError) -> [T] {
        try await database.find(collection, filter: filter, options: options).map { json throws(StoreError) in try ExtendedJSON.decode(json) }
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

    private struct Timeline: Decodable {
        let id: String
        let meetingID: String?
        let topic: String?
        let entries: [String]?
        enum CodingKeys: String, CodingKey { case id = "_id", meetingID = "meeting_id", topic, entries = "timeline" }
    }

    private struct ChangeMarker: Decodable {
        let version: Int64
    }

    private struct Announced: Decodable {
        let id: String
        enum CodingKeys: String, CodingKey { case id = "_id" }
    }
}

/// A document with `changed_at` added to its own fields.
struct Stamped<Document: Encodable>: Encodable {
    let document: Document
    let changedAt: BSONDate

    init(_ document: Document, changedAt: BSONDate) {
        self.document = document
        self.changedAt = changedAt
    }

    private enum Keys: String, CodingKey { case changedAt = "changed_at" }

    func encode(to encoder: any Encoder) throws {
        try document.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(changedAt, forKey: .changedAt)
    }
}
