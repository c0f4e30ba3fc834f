import MongoStorage
import Foundation

/// The resume cursor: one document per meeting instance whose events were all confirmed by the
/// broker (`backfill_meetings`, `_id` = meeting UUID). A backfill skips these; a crash loses at most
/// the meeting in hand, whose events are then published again under the same keys.
public struct BackfillLedger: Sendable {
    public static let collection = "backfill_meetings"
    private let database: MongoDatabase

    public init(database: MongoDatabase) {
        self.database = database
    }

    /// Which of these meeting instances are done.
    public func completed(_ uuids: [String]) async throws(StoreError) -> Set<String> {
        guard !uuids.isEmpty else { return [] }
        let documents = try await database.find(Self.collection, filter: #"{"_id": {"$in": \#(ExtendedJSON.array(uuids))}}"#,
                                                options: #"{"projection": {"_id": 1}}"#)
        return Set(documents.compactMap { try? JSONDecoder().decode(Entry.self, from: Data($0.utf8)).id })
    }

    public func markCompleted(uuid: String, meetingID: String, events: Int, at: Date = Date()) async throws(StoreError) {
        let document = #"{"_id": \#(ExtendedJSON.string(uuid)), "meeting_id": \#(ExtendedJSON.string(meetingID)), "events": \#(events), "completed_at": \#(ExtendedJSON.date(at))}"#
        let result = try await database.bulkWrite(Self.collection, [.insert(document)])
        if let failure = result.unexpectedFailures.first { throw .invalidDocument("\(Self.collection): \(failure.errmsg)") }
    }

    private struct Entry: Decodable {
        let id: String
        enum CodingKeys: String, CodingKey { case id = "_id" }
    }
}
