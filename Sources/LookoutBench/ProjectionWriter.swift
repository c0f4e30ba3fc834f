import ArgumentParser
import CMongoC
import Foundation
import Projections

/// Writes meeting instances' documents as the projection worker would leave them (facts,
/// timeline and what they project to, `changed_at` stamped, the same indexes), each marked
/// `sample: "term"` so a new sample replaces the previous one and nothing else; batched
/// `insert_many`, then the change marker.
final class ProjectionWriter {
    private let meetings: RawCollection
    private let changes: RawCollection
    private let batch: Int
    private var pending: [OpaquePointer] = []
    private let encoder = JSONEncoder()
    private let stamp = BSONDate(Date())
    private let rules: ProjectionRules
    private(set) var incidentsWritten: [CollectiveIncident] = []
    private(set) var peopleWritten = 0

    private let mark: String

    /// `mark` goes into each document's `sample` field.
    init(uri: String, batch: Int, rules: ProjectionRules, mark: String = "term") throws {
        self.mark = mark
        meetings = try RawCollection(uri: uri, name: "meetings")
        changes = try RawCollection(uri: uri, name: "projection_changes")
        self.batch = batch
        self.rules = rules
        // As MongoProjectionStore.prepare makes them.
        try meetings.createIndexes([["changed_at"], ["meeting_id"]])
    }

    func removePreviousSample() throws {
        try meetings.deleteMany(json: #"{"sample": \#(String(decoding: try encoder.encode(mark), as: UTF8.self))}"#)
    }

    /// One instance's document from its facts (`Projector.project`, as the worker computes it).
    func meeting(_ instance: InstanceDocument.Lifecycle, facts: [AttendanceFact]) throws {
        let timeline = InstanceTimeline.entries(of: facts, rules: rules.leaves)[instance.id] ?? []
        let projection = Projector.project(.init(instance: instance.id, meetingID: instance.meetingID, topic: instance.topic,
                                                 facts: facts, timeline: timeline), rules: rules)
        incidentsWritten += projection.incidents
        peopleWritten += projection.people.count
        let document = InstanceDocument(lifecycle: instance, timeline: timeline, facts: facts, projection: projection,
                                        changedAt: stamp, sample: mark)
        pending.append(try RawCollection.document(json: Array(try encoder.encode(document))))
        if pending.count >= batch { try flush() }
    }

    private func flush() throws {
        guard !pending.isEmpty else { return }
        let documents = pending
        pending = []
        defer { documents.forEach { bson_destroy($0) } }
        try meetings.insertMany(documents)
    }

    /// Writes what is pending and bumps the change marker, so a running `lookout web` reads it all.
    func finish() throws {
        try flush()
        try changes.upsert(filter: #"{"_id": "projections"}"#, update: #"{"$inc": {"version": 1}, "$currentDate": {"changed_at": true}}"#)
    }
}

/// A meeting instance's document in the shape `MongoProjectionStore` writes it.
struct InstanceDocument: Encodable {
    struct Lifecycle {
        let id, meetingID, topic, hostID: String
        let startedAt: BSONDate
        let endedAt: BSONDate?
    }

    let lifecycle: Lifecycle
    let timeline: [String]
    let facts: [AttendanceFact]
    let projection: Projector.InstanceProjection
    let changedAt: BSONDate
    let sample: String

    enum CodingKeys: String, CodingKey {
        case id = "_id", meetingID = "meeting_id", topic, hostID = "host_id", startedAt = "started_at", endedAt = "ended_at"
        case timeline, facts, people, incidents, peakParticipants = "peak_participants", derivedFactCount = "derived_fact_count"
        case changedAt = "changed_at", sample
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(lifecycle.id, forKey: .id)
        try container.encode(lifecycle.meetingID, forKey: .meetingID)
        try container.encode(lifecycle.topic, forKey: .topic)
        try container.encode(lifecycle.hostID, forKey: .hostID)
        try container.encode(lifecycle.startedAt, forKey: .startedAt)
        try container.encodeIfPresent(lifecycle.endedAt, forKey: .endedAt)
        try container.encode(timeline, forKey: .timeline)
        try container.encode(facts, forKey: .facts)
        try container.encode(projection.people, forKey: .people)
        try container.encode(projection.incidents, forKey: .incidents)
        try container.encode(projection.peakParticipants, forKey: .peakParticipants)
        try container.encode(projection.factCount, forKey: .derivedFactCount)
        try container.encode(changedAt, forKey: .changedAt)
        try container.encode(sample, forKey: .sample)
    }
}

extension RawCollection {
    func deleteMany(json: String) throws {
        let selector = try Self.document(json: Array(json.utf8))
        defer { bson_destroy(selector) }
        var error = bson_error_t()
        guard mongoc_collection_delete_many(collection, selector, nil, nil, &error) else {
            throw ValidationError("delete_many: \(String(cString: lookout_bson_error_message(&error)))")
        }
    }

    func upsert(filter: String, update: String) throws {
        let selector = try Self.document(json: Array(filter.utf8)), change = try Self.document(json: Array(update.utf8))
        let options = try Self.document(json: Array(#"{"upsert": true}"#.utf8))
        defer { [selector, change, options].forEach { bson_destroy($0) } }
        var error = bson_error_t()
        guard mongoc_collection_update_one(collection, selector, change, options, nil, &error) else {
            throw ValidationError("update_one: \(String(cString: lookout_bson_error_message(&error)))")
        }
    }
}
