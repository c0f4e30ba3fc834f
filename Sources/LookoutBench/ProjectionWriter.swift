import ArgumentParser
import CMongoC
import Foundation
import Projections

/// Writes projection documents as the projection worker would leave them (`changed_at` stamped,
/// the same indexes), each marked `sample: "term"` so a new sample replaces the previous one and
/// nothing else; batched `insert_many`, then the change marker.
final class ProjectionWriter {
    private let presence: RawCollection
    private let meetings: RawCollection
    private let incidents: RawCollection
    private let changes: RawCollection
    private let batch: Int
    private var pending: [ObjectIdentifier: (RawCollection, [OpaquePointer])] = [:]
    private let encoder = JSONEncoder()
    private let stamp = BSONDate(Date())
    private(set) var incidentsWritten: [CollectiveIncident] = []

    init(uri: String, batch: Int) throws {
        presence = try RawCollection(uri: uri, name: "presence")
        meetings = try RawCollection(uri: uri, name: "meetings")
        incidents = try RawCollection(uri: uri, name: "meeting_incidents")
        changes = try RawCollection(uri: uri, name: "projection_changes")
        self.batch = batch
        // As MongoProjectionStore.prepare makes them.
        try presence.createIndexes([["meeting_id"], ["name"], ["changed_at"]])
        try incidents.createIndexes([["meeting_id"], ["incidents.started_at"], ["changed_at"]])
        try meetings.createIndexes([["changed_at"]])
    }

    func removePreviousSample() throws {
        for collection in [presence, meetings, incidents] { try collection.deleteMany(json: #"{"sample": "term"}"#) }
    }

    func presence(_ row: ParticipantPresence) throws { try add(row, to: presence) }

    func incidents(_ document: MeetingIncidents) throws {
        incidentsWritten += document.incidents
        try add(document, to: incidents)
    }

    func meeting(_ instance: TermSample.Instance, timeline: [String], peak: Int?) throws {
        try add(MeetingDocument(id: instance.uuid, meetingID: instance.meetingID, topic: instance.topic, hostID: "term-host",
                                startedAt: BSONDate(milliseconds: instance.start), endedAt: instance.end.map(BSONDate.init(milliseconds:)),
                                peakParticipants: peak, peakFactCount: timeline.count, timeline: timeline), to: meetings)
    }

    private func add(_ document: some Encodable, to collection: RawCollection) throws {
        let json = try encoder.encode(Marked(document: document, changedAt: stamp))
        let key = ObjectIdentifier(collection)
        var entry = pending[key] ?? (collection, [])
        entry.1.append(try RawCollection.document(json: Array(json)))
        pending[key] = entry
        if entry.1.count >= batch { try flush(key) }
    }

    private func flush(_ key: ObjectIdentifier) throws {
        guard let (collection, documents) = pending[key], !documents.isEmpty else { return }
        defer { documents.forEach { bson_destroy($0) } }
        pending[key] = (collection, [])
        try collection.insertMany(documents)
    }

    /// Writes what is pending and bumps the change marker, so a running `lookout web` reads it all.
    func finish() throws {
        for key in pending.keys { try flush(key) }
        try changes.upsert(filter: #"{"_id": "projections"}"#, update: #"{"$inc": {"version": 1}, "$currentDate": {"changed_at": true}}"#)
    }

    struct MeetingDocument: Encodable {
        let id, meetingID, topic, hostID: String
        let startedAt: BSONDate
        let endedAt: BSONDate?
        let peakParticipants: Int?
        let peakFactCount: Int
        let timeline: [String]

        enum CodingKeys: String, CodingKey {
            case id = "_id", meetingID = "meeting_id", topic, hostID = "host_id", startedAt = "started_at", endedAt = "ended_at"
            case peakParticipants = "peak_participants", peakFactCount = "peak_fact_count", timeline
        }
    }

    /// A document with `changed_at` and the sample's mark added to its own fields.
    struct Marked<Document: Encodable>: Encodable {
        let document: Document
        let changedAt: BSONDate

        private enum Keys: String, CodingKey { case changedAt = "changed_at", sample }

        func encode(to encoder: any Encoder) throws {
            try document.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(changedAt, forKey: .changedAt)
            try container.encode("term", forKey: .sample)
        }
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
