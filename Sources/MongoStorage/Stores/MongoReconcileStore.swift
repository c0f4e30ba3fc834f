import Foundation
import Projections
import Reconciliation
import ZoomModel

/// Reconciliation's reads and writes in the projections' MongoDB collections: instances from
/// `meetings` (the quality record goes into the instance's document as `collection_quality`,
/// which is also what marks it done), facts from `attendance`.
public struct MongoReconcileStore: ReconcileStore {
    private let database: MongoDatabase

    public init(database: MongoDatabase) {
        self.database = database
    }

    public func prepare() async throws {
        try await database.ensureIndexes(Catalogue.meetings)
    }

    private static let meetings = Catalogue.meetings.name
    private static let withoutTimeline: BSONDocument = ["timeline": 0]

    /// Two indexed queries rather than one `$or` (which the MongoDB-wire server plans as a scan).
    public func due(endedBefore: BSONDate, silentBefore: BSONDate, limit: Int) async throws -> [ZoomEvent.Meeting] {
        let ended = try await database.find(MeetingSummary.self, in: Self.meetings,
                                            filter: ["ended_at": .lte(.datetime(endedBefore.milliseconds)), "collection_quality": .exists(false)],
                                            options: FindOptions(projection: Self.withoutTimeline, sort: ["ended_at": 1], limit: limit))
        let silent = try await database.find(MeetingSummary.self, in: Self.meetings,
                                             filter: ["ended_at": .exists(false), "changed_at": .lte(.datetime(silentBefore.milliseconds)),
                                                      "collection_quality": .exists(false)],
                                             options: FindOptions(projection: Self.withoutTimeline, sort: ["changed_at": 1], limit: limit))
        return (ended + silent).prefix(limit).map(Self.meeting)
    }

    public func meeting(instance: String) async throws -> ZoomEvent.Meeting? {
        try await database.find(MeetingSummary.self, in: Self.meetings, filter: ["_id": .string(instance)],
                                options: FindOptions(projection: Self.withoutTimeline)).first.map(Self.meeting)
    }

    public func facts(instance: String) async throws -> [AttendanceFact] {
        try await database.find(AttendanceFact.self, in: Catalogue.attendance.name, filter: ["meeting_uuid": .string(instance)])
    }

    /// `$set` of the record and `changed_at` (so the exports and the dashboard read it), then the
    /// change marker.
    public func record(_ quality: CollectionQuality, instance: String) async throws {
        var update = BSONUpdate()
        update.set("collection_quality", .document(try BSONEncoder().encode(quality)))
        update.set("changed_at", .date(Date()))
        try await database.bulkWrite(Self.meetings, [.updateOne(filter: ["_id": .string(instance)], update: update.document, upsert: false)])
            .check(Self.meetings)
        try await ProjectionChangeMarker(database: database).markChanged()
    }

    /// Instances reconciled, of them repaired (something filled in), and ended but not reconciled yet.
    public func summary() async throws -> (reconciled: Int, repaired: Int, pending: Int) {
        (try await database.count(Self.meetings, filter: ["collection_quality": .exists(true)]),
         try await database.count(Self.meetings, filter: ["collection_quality.facts_filled": .gt(0)]),
         try await database.count(Self.meetings, filter: ["ended_at": .exists(true), "collection_quality": .exists(false)]))
    }

    static func meeting(_ summary: MeetingSummary) -> ZoomEvent.Meeting {
        ZoomEvent.Meeting(id: summary.meetingID ?? summary.id, uuid: summary.id, hostID: summary.hostID, topic: summary.topic,
                          startTime: summary.startedAt?.date, endTime: summary.endedAt?.date)
    }
}
