import MongoStorage
import Foundation
import ProjectionWorker
import Projections
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
        try await database.ensureIndexes("meetings", [["ended_at"]])
    }

    /// Two indexed queries rather than one `$or` (which the MongoDB-wire server plans as a scan).
    public func due(endedBefore: BSONDate, silentBefore: BSONDate, limit: Int) async throws -> [ZoomEvent.Meeting] {
        let pending = #""collection_quality": {"$exists": false}"#
        let fields = #""projection": {"timeline": 0}, "limit": \#(limit)"#
        let ended = try await database.find("meetings", filter: #"{"ended_at": {"$lte": \#(ExtendedJSON.date(endedBefore.date))}, \#(pending)}"#,
                                            options: #"{\#(fields), "sort": {"ended_at": 1}}"#)
        let silent = try await database.find("meetings", filter: #"{"ended_at": {"$exists": false}, "changed_at": {"$lte": \#(ExtendedJSON.date(silentBefore.date))}, \#(pending)}"#,
                                             options: #"{\#(fields), "sort": {"changed_at": 1}}"#)
        return try (ended + silent).prefix(limit).map { json in Self.meeting(try ExtendedJSON.decode(json) as MeetingSummary) }
    }

    public func meeting(instance: String) async throws -> ZoomEvent.Meeting? {
        let documents = try await database.find("meetings", filter: #"{"_id": \#(ExtendedJSON.string(instance))}"#,
                                                options: #"{"projection": {"timeline": 0}}"#)
        return try documents.first.map { json in Self.meeting(try ExtendedJSON.decode(json) as MeetingSummary) }
    }

    public func facts(instance: String) async throws -> [AttendanceFact] {
        try await database.find("attendance", filter: #"{"meeting_uuid": \#(ExtendedJSON.string(instance))}"#)
            .map { json throws(StoreError) in try ExtendedJSON.decode(json) }
    }

    /// `$set` of the record and `changed_at` (so the exports and the dashboard read it), then the
    /// change marker.
    public func record(_ quality: CollectionQuality, instance: String) async throws {
        let update = #"{"$set": {"collection_quality": \#(try ExtendedJSON.encode(quality)), "changed_at": \#(ExtendedJSON.date(Date()))}}"#
        let result = try await database.bulkWrite("meetings", [.updateOne(filter: #"{"_id": \#(ExtendedJSON.string(instance))}"#,
                                                                          update: update, upsert: false)])
        if let failure = result.unexpectedFailures.first { throw StoreError.invalidDocument("meetings: \(failure.errmsg)") }
        try await MongoProjectionStore(database: database).markChanged()
    }

    /// Instances reconciled, of them repaired (something filled in), and ended but not reconciled yet.
    public func summary() async throws -> (reconciled: Int, repaired: Int, pending: Int) {
        (try await database.count("meetings", filter: #"{"collection_quality": {"$exists": true}}"#),
         try await database.count("meetings", filter: #"{"collection_quality.facts_filled": {"$gt": 0}}"#),
         try await database.count("meetings", filter: #"{"ended_at": {"$exists": true}, "collection_quality": {"$exists": false}}"#))
    }

    static func meeting(_ summary: MeetingSummary) -> ZoomEvent.Meeting {
        ZoomEvent.Meeting(id: summary.meetingID ?? summary.id, uuid: summary.id, hostID: summary.hostID, topic: summary.topic,
                          startTime: summary.startedAt?.date, endTime: summary.endedAt?.date)
    }
}
