import Backfill
import Foundation

/// Backfill's resume cursor in MongoDB: one document per completed meeting instance,
/// `{_id: <meeting UUID>, meeting_id, events, completed_at}`.
public struct MongoBackfillLedger: BackfillLedger {
    public static let collection = Catalogue.backfillMeetings.name
    private let database: MongoDatabase

    public init(database: MongoDatabase) {
        self.database = database
    }

    public func completed(_ uuids: [String]) async throws(StoreError) -> Set<String> {
        guard !uuids.isEmpty else { return [] }
        let entries = try await database.find(Entry.self, in: Self.collection, filter: ["_id": .in(uuids)],
                                              options: FindOptions(projection: ["_id": 1]))
        return Set(entries.map(\.id))
    }

    public func markCompleted(uuid: String, meetingID: String, events: Int, at: Date) async throws(StoreError) {
        let document: BSONDocument = ["_id": .string(uuid), "meeting_id": .string(meetingID), "events": .int(events), "completed_at": .date(at)]
        try await database.bulkWrite(Self.collection, [.insert(document)]).check(Self.collection)
    }

    private struct Entry: Decodable {
        let id: String
        enum CodingKeys: String, CodingKey { case id = "_id" }
    }
}
