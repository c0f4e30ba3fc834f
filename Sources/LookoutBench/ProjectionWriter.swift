import ArgumentParser
import Foundation
import MongoStorage
import Projections

/// Writes projection documents as the projection worker would leave them (`changed_at` stamped,
/// the same indexes), each marked `sample: "term"` so a new sample replaces the previous one and
/// nothing else; batched `insert_many`, then the change marker.
final class ProjectionWriter {
    private let presence: DirectCollection
    private let meetings: DirectCollection
    private let incidents: DirectCollection
    private let changes: DirectCollection
    private let batch: Int
    private var pending: [ObjectIdentifier: (DirectCollection, [PreparedDocument])] = [:]
    private let stamp = BSONDate(Date())
    private(set) var incidentsWritten: [CollectiveIncident] = []

    init(uri: String, batch: Int) throws {
        presence = try DirectCollection(uri: uri, name: Catalogue.presence.name)
        meetings = try DirectCollection(uri: uri, name: Catalogue.meetings.name)
        incidents = try DirectCollection(uri: uri, name: Catalogue.incidents.name)
        changes = try DirectCollection(uri: uri, name: Catalogue.projectionChanges.name)
        self.batch = batch
        for collection in [presence, meetings, incidents] {
            try collection.createIndexes(like: Catalogue.all.first { $0.name == collection.name }!)
        }
    }

    func removePreviousSample() throws {
        for collection in [presence, meetings, incidents] { try collection.deleteMany(["sample": "term"]) }
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

    private func add(_ document: some Encodable, to collection: DirectCollection) throws {
        let key = ObjectIdentifier(collection)
        var entry = pending[key] ?? (collection, [])
        entry.1.append(try PreparedDocument(encoding: Marked(document: document, changedAt: stamp)))
        pending[key] = entry
        if entry.1.count >= batch { try flush(key) }
    }

    private func flush(_ key: ObjectIdentifier) throws {
        guard let (collection, documents) = pending[key], !documents.isEmpty else { return }
        pending[key] = (collection, [])
        try collection.insertMany(documents)
    }

    /// Writes what is pending and bumps the change marker, so a running `lookout web` reads it all.
    func finish() throws {
        for key in pending.keys { try flush(key) }
        var update = BSONUpdate()
        update.inc("version", 1)
        update.currentDate("changed_at")
        try changes.upsert(filter: ["_id": "projections"], update: update.document)
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
