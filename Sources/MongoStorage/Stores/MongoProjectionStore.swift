import Foundation
import ProjectionWorker
import Projections

/// Projections in MongoDB, one collection each. Facts are inserted under their event's key;
/// derived documents are replaced only by a version computed from more facts (`fact_count`),
/// so concurrent replicas and redeliveries converge on the same documents. Every derived
/// document written carries `changed_at` (the writer's clock just before the write, indexed), so
/// readers read only what changed since their last read (`changes(since:)`).
public struct MongoProjectionStore: ProjectionStore {
    private let database: MongoDatabase
    private let encoder = BSONEncoder()

    public init(database: MongoDatabase) {
        self.database = database
    }

    public func prepare() async throws(StoreError) {
        for collection in [Catalogue.attendance, Catalogue.presence, Catalogue.incidents, Catalogue.meetings, Catalogue.alerts] {
            try await database.ensureIndexes(collection)
        }
    }

    public func record(_ inputs: [ProjectionInput], merges: [InstanceMerge]) async throws(StoreError) {
        var facts: [BSONWrite] = [], alerts: [BSONWrite] = []
        let now = BSONDate(Date())
        for input in inputs {
            switch input {
            case .attendance(let fact, _): facts.append(.insert(try encoder.encode(fact)))
            case .alert(let alert, _): alerts.append(.insert(try stamped(alert, now)))
            case .lifecycle, .ignored: break
            }
        }
        try await write(Catalogue.attendance, facts)
        try await write(Catalogue.alerts, alerts)
        try await write(Catalogue.meetings, merges.map { Self.update($0, changedAt: now) })
    }

    /// `$set` of the last topic and host, `$min` of the start, `$max` of the end, `$addToSet` of the
    /// joins and leaves to the instance's timeline: any order, and any repetition, of the same
    /// events gives the same document.
    static func update(_ merge: InstanceMerge, changedAt: BSONDate) -> BSONWrite {
        var update = BSONUpdate()
        update.set("meeting_id", .string(merge.meetingID))
        update.set("changed_at", .datetime(changedAt.milliseconds))
        if let topic = merge.topic { update.set("topic", .string(topic)) }
        if let host = merge.hostID { update.set("host_id", .string(host)) }
        if let started = merge.startedAt { update.min("started_at", .datetime(started.milliseconds)) }
        if let ended = merge.endedAt { update.max("ended_at", .datetime(ended.milliseconds)) }
        if !merge.timeline.isEmpty { update.addToSet("timeline", each: merge.timeline.map(BSON.string)) }
        return .updateOne(filter: ["_id": .string(merge.instance)], update: update.document, upsert: true)
    }

    public func facts(for touched: Projector.Touched) async throws(StoreError) -> ProjectionFacts {
        var facts = ProjectionFacts()
        facts.groupFacts = try await database.find(AttendanceFact.self, in: Catalogue.attendance.name,
                                                   filter: ["group": .in(touched.groups)])
        // The peak's input is one document per instance (its timeline, written by `record` before
        // this read), not every fact of it: before issue 8 this read every fact of every touched
        // instance, thousands per batch in a class-start storm (docs/benchmarks.md).
        // The collective incidents' input too: each instance's timeline classifies its leaves.
        let timelines = try await database.find(Timeline.self, in: Catalogue.meetings.name, filter: ["_id": .in(touched.instances)],
                                                options: FindOptions(projection: ["timeline": 1, "meeting_id": 1, "topic": 1]))
        facts.timelines = timelines.map { timeline in
            Projector.Timeline(instance: timeline.id, meetingID: timeline.meetingID, topic: timeline.topic, entries: timeline.entries ?? [])
        }
        return facts
    }

    public func save(_ update: Projector.Update) async throws(StoreError) {
        let now = BSONDate(Date())
        try await write(Catalogue.presence, try update.presence.map { row throws(StoreError) in
            .replaceOne(filter: Self.guardFilter(row.id, row.factCount, field: "fact_count"), replacement: try stamped(row, now), upsert: true)
        })
        try await write(Catalogue.incidents, try update.incidents.map { row throws(StoreError) in
            .replaceOne(filter: Self.guardFilter(row.id, row.factCount, field: "fact_count"), replacement: try stamped(row, now), upsert: true)
        })
        try await write(Catalogue.meetings, update.peaks.map { peak in
            var set = BSONUpdate()
            set.set("peak_participants", .int(peak.participants))
            set.set("peak_fact_count", .int(peak.factCount))
            set.set("changed_at", .datetime(now.milliseconds))
            return .updateOne(filter: Self.guardFilter(peak.instance, peak.factCount, field: "peak_fact_count"),
                              update: set.document, upsert: true)
        })
    }

    /// Replace-or-insert unless the stored document came from at least as many facts: a newer one
    /// makes the filter miss, the upsert then collides on `_id` (11000), and the write is skipped.
    /// "Older or absent" as `$not: {$gte}` (which also matches a missing field) rather than an `$or`:
    /// same documents, but a server that plans `$or` as a scan would read the whole collection per
    /// write (the MongoDB-wire server does: docs/benchmarks.md).
    static func guardFilter(_ id: String, _ factCount: Int, field: String) -> BSONDocument {
        ["_id": .string(id), field: .not(.gte(.int(factCount)))]
    }

    /// A document with `changed_at` (now, just before the write) added to its own fields.
    private func stamped(_ document: some Encodable, _ now: BSONDate) throws(StoreError) -> BSONDocument {
        var fields = try encoder.encode(document)
        fields["changed_at"] = .datetime(now.milliseconds)
        return fields
    }

    public func unannounced(_ incidents: [CollectiveIncident]) async throws(StoreError) -> [CollectiveIncident] {
        guard !incidents.isEmpty else { return [] }
        let done = try await database.find(Announced.self, in: Catalogue.announcements.name, filter: ["_id": .in(incidents.map(\.id))])
        let ids = Set(done.map(\.id))
        return incidents.filter { !ids.contains($0.id) }
    }

    public func markAnnounced(_ incidents: [CollectiveIncident]) async throws(StoreError) {
        try await write(Catalogue.announcements, incidents.map { .insert(["_id": .string($0.id)]) })
    }

    public func markChanged() async throws(StoreError) {
        try await ProjectionChangeMarker(database: database).markChanged()
    }

    /// The change marker's version (0 before the first change): one read by `_id`.
    public func changeVersion() async throws(StoreError) -> Int64 {
        try await database.find(ChangeMarker.self, in: Catalogue.projectionChanges.name, filter: ["_id": "projections"]).first?.version ?? 0
    }

    /// Documents whose `changed_at` is at or after `since` (an indexed range per collection), or
    /// every document when `since` is nil. Meetings without their timelines (only the peak needs them).
    public func changes(since: BSONDate?) async throws(StoreError) -> ProjectionChanges {
        let filter: BSONDocument = since.map { ["changed_at": .gte(.datetime($0.milliseconds))] } ?? [:]
        return ProjectionChanges(
            presence: try await database.find(ParticipantPresence.self, in: Catalogue.presence.name, filter: filter),
            incidents: try await database.find(MeetingIncidents.self, in: Catalogue.incidents.name, filter: filter),
            meetings: try await database.find(MeetingSummary.self, in: Catalogue.meetings.name, filter: filter,
                                              options: FindOptions(projection: ["timeline": 0])),
            alerts: try await database.find(QualityAlert.self, in: Catalogue.alerts.name, filter: filter))
    }

    /// One instance's timeline entries (nil when the instance is unknown).
    public func timeline(instance: String) async throws(StoreError) -> [String]? {
        try await database.find(Timeline.self, in: Catalogue.meetings.name, filter: ["_id": .string(instance)],
                                options: FindOptions(projection: ["timeline": 1])).first.map { $0.entries ?? [] }
    }

    /// Every projection collection emptied (not `events`, their source), the announcements kept.
    public func reset() async throws(StoreError) {
        for collection in [Catalogue.presence, Catalogue.disconnections, Catalogue.meetings, Catalogue.incidents,
                           Catalogue.alerts, Catalogue.attendance] {
            try await write(collection, [.deleteMany(filter: [:])])
        }
    }

    private func write(_ collection: StoredCollection, _ writes: [BSONWrite]) async throws(StoreError) {
        guard !writes.isEmpty else { return }
        try await database.bulkWrite(collection.name, writes).check(collection.name)
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
