import EventStore
import Foundation
import Projections

import EventStore
import Foundation
import Projections

/// Projections in MongoDB: one document per meeting instance (`meetings`) holding its lifecycle,
/// timeline and attendance facts — merged by commutative updates — and what they project to
/// (each person's presence there, the incidents, the peak), written by one guarded `$set` computed
/// from more facts (`derived_fact_count`) than the stored one, so concurrent replicas and
/// redeliveries converge on the same documents. One write per touched instance per batch, not one
/// per person: docs/architecture.md, "Projections per instance". Every document written carries
/// `changed_at` (the writer's clock just before the write, indexed), so readers read only what
/// changed since their last read (`changes(since:)`).
public struct MongoProjectionStore: ProjectionStore {
    enum Collection {
        static let meetings = "meetings"
        static let alerts = "alerts"
        static let announced = "incident_announcements"
        /// One document, `{_id: "projections", version, changed_at}`, bumped after every batch.
        static let changes = "projection_changes"
        /// Written before the per-instance documents (an upgrade runs `lookout projections rebuild`,
        /// which empties them).
        static let retired = ["attendance", "presence", "disconnections", "meeting_incidents"]
        static let derived = [meetings, alerts] + retired
    }

    private let database: MongoDatabase

    public init(database: MongoDatabase) {
        self.database = database
    }

    public func prepare() async throws(StoreError) {
        try await database.ensureIndexes(Collection.meetings, [["changed_at"], ["meeting_id"]])
        try await database.ensureIndexes(Collection.alerts, [["meeting_id"], ["at"], ["changed_at"]])
    }

    public func record(_ inputs: [ProjectionInput], merges: [InstanceMerge]) async throws(StoreError) {
        var alerts: [QualityAlert] = []
        for case .alert(let alert, _) in inputs { alerts.append(alert) }
        let now = BSONDate(Date())
        try await write(Collection.alerts, try alerts.map { alert throws(StoreError) in
            .insert(try ExtendedJSON.encode(Stamped(alert, changedAt: now)))
        })
        try await write(Collection.meetings, try merges.map { merge throws(StoreError) in try Self.update(merge, changedAt: now) })
    }

    /// `$set` of the last topic and host, `$min` of the start, `$max` of the end, `$addToSet` of the
    /// joins and leaves to the instance's timeline and of the facts: any order, and any
    /// repetition, of the same events gives the same document.
    static func update(_ merge: InstanceMerge, changedAt: BSONDate) throws(StoreError) -> WriteOperation {
        var set: [String: String] = ["meeting_id": ExtendedJSON.string(merge.meetingID),
                                     "changed_at": ExtendedJSON.date(changedAt.date)]
        if let topic = merge.topic { set["topic"] = ExtendedJSON.string(topic) }
        if let host = merge.hostID { set["host_id"] = ExtendedJSON.string(host) }
        var update = [#""$set": \#(ExtendedJSON.object(set))"#]
        if let started = merge.startedAt { update.append(#""$min": {"started_at": \#(ExtendedJSON.date(started.date))}"#) }
        if let ended = merge.endedAt { update.append(#""$max": {"ended_at": \#(ExtendedJSON.date(ended.date))}"#) }
        var additions: [String] = []
        if !merge.timeline.isEmpty { additions.append(#""timeline": {"$each": \#(ExtendedJSON.array(merge.timeline))}"#) }
        if !merge.facts.isEmpty { additions.append(#""facts": {"$each": \#(try ExtendedJSON.encode(merge.facts))}"#) }
        if !additions.isEmpty { update.append(#""$addToSet": {\#(additions.joined(separator: ", "))}"#) }
        return .updateOne(filter: #"{"_id": \#(ExtendedJSON.string(merge.instance))}"#,
                          update: "{" + update.joined(separator: ", ") + "}", upsert: true)
    }

    public func instances(_ ids: [String]) async throws(StoreError) -> [Projector.InstanceFacts] {
        guard !ids.isEmpty else { return [] }
        let documents = try await database.find(Collection.meetings, filter: #"{"_id": {"$in": \#(ExtendedJSON.array(ids))}}"#,
                                                options: #"{"projection": {"timeline": 1, "facts": 1, "meeting_id": 1, "topic": 1}}"#)
        return try documents.map { json throws(StoreError) in
            let document: StoredFacts = try ExtendedJSON.decode(json)
            return Projector.InstanceFacts(instance: document.id, meetingID: document.meetingID, topic: document.topic,
                                           facts: document.facts ?? [], timeline: document.timeline ?? [])
        }
    }

    /// One `$set` per instance, skipped when the stored projection came from at least as many facts.
    public func save(_ projections: [Projector.InstanceProjection]) async throws(StoreError) {
        let now = BSONDate(Date())
        try await write(Collection.meetings, try projections.map { projection throws(StoreError) in
            let fields = try ExtendedJSON.encode(Derived(projection, changedAt: now))
            return .updateOne(filter: Self.guardFilter(projection.instance, projection.factCount, field: "derived_fact_count"),
                              update: #"{"$set": \#(fields)}"#, upsert: false)
        })
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

    /// Documents whose `changed_at` is at or after `since` (an indexed range per collection), or
    /// every document when `since` is nil. Instances without their facts and timeline.
    public func changes(since: BSONDate?) async throws(StoreError) -> ProjectionChanges {
        let filter = since.map { #"{"changed_at": {"$gte": \#(ExtendedJSON.date($0.date))}}"# } ?? "{}"
        return ProjectionChanges(
            instances: try await all(Collection.meetings, filter, options: #"{"projection": {"timeline": 0, "facts": 0}}"#),
            alerts: try await all(Collection.alerts, filter))
    }

    public func timeline(instance: String) async throws(StoreError) -> [String]? {
        let documents = try await database.find(Collection.meetings, filter: #"{"_id": \#(ExtendedJSON.string(instance))}"#,
                                                options: #"{"projection": {"timeline": 1}}"#)
        guard let document = documents.first else { return nil }
        return (try ExtendedJSON.decode(document) as StoredFacts).timeline ?? []
    }

    /// Distinct attendance facts over every instance (an instance's array may hold one fact twice,
    /// as a webhook and as a backfilled record with other optional fields).
    public func factCount() async throws(StoreError) -> Int {
        struct Keys: Decodable {
            struct Key: Decodable { let id: String; enum CodingKeys: String, CodingKey { case id = "_id" } }
            let facts: [Key]?
        }
        let documents = try await database.find(Collection.meetings, options: #"{"projection": {"facts._id": 1}}"#)
        var total = 0
        for json in documents { total += Set(((try ExtendedJSON.decode(json) as Keys).facts ?? []).map(\.id)).count }
        return total
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

    private struct StoredFacts: Decodable {
        let id: String
        let meetingID: String?
        let topic: String?
        let facts: [AttendanceFact]?
        let timeline: [String]?
        enum CodingKeys: String, CodingKey { case id = "_id", meetingID = "meeting_id", topic, facts, timeline }
    }

    /// The fields a projection sets in its instance's document.
    private struct Derived: Encodable {
        let people: [PresencePart]
        let incidents: [CollectiveIncident]
        let peakParticipants: Int
        let derivedFactCount: Int
        let changedAt: BSONDate

        init(_ projection: Projector.InstanceProjection, changedAt: BSONDate) {
            people = projection.people
            incidents = projection.incidents
            peakParticipants = projection.peakParticipants
            derivedFactCount = projection.factCount
            self.changedAt = changedAt
        }

        enum CodingKeys: String, CodingKey {
            case people, incidents, peakParticipants = "peak_participants", derivedFactCount = "derived_fact_count"
            case changedAt = "changed_at"
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
