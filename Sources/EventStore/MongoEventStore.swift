import CMongoC
import Foundation

/// The `events` collection in MongoDB: `_id` = idempotency key, so a second insert of the same
/// event fails with duplicate key (11000) and counts as stored.
public struct MongoEventStore: RawEventStore {
    public static let collection = "events"

    /// Fields that queries and dashboards filter on.
    static let indexedFields = ["event_ts", "payload.object.id", "payload.object.participant.user_name", "received_at"]

    private let database: MongoDatabase

    public init(database: MongoDatabase) {
        self.database = database
    }

    public func prepare() async throws(StoreError) {
        try await database.ensureIndexes(Self.collection, Self.indexedFields.map { [$0] })
    }

    public func insert(_ events: [StoredEvent]) async throws(StoreError) -> [InsertOutcome] {
        var outcomes = [InsertOutcome](repeating: .stored, count: events.count)
        var documents: [BSONDocument] = []
        var positions: [Int] = []
        for (index, event) in events.enumerated() {
            switch Self.document(for: event) {
            case .success(let document):
                documents.append(document)
                positions.append(index)
            case .failure(let error):
                outcomes[index] = .rejected(error.description)
            }
        }
        guard !documents.isEmpty else { return outcomes }
        let batch = UncheckedBox(documents)
        let written = try await database.withCollection(Self.collection) { collection throws(StoreError) in
            try Self.insertMany(batch.value, into: collection)
        }
        for (offset, outcome) in written { outcomes[positions[offset]] = outcome }
        return outcomes
    }

    static func document(for event: StoredEvent) -> Result<BSONDocument, StoreError> {
        guard event.body.first(where: { ![0x20, 0x09, 0x0a, 0x0d].contains($0) }) == UInt8(ascii: "{") else {
            return .failure(.invalidDocument("body is not a JSON object"))
        }
        let document: BSONDocument
        do { document = try BSONDocument(json: event.body) } catch { return .failure(error) }
        guard !document.has("_id") else { return .failure(.invalidDocument("body has its own _id field")) }
        document.append("_id", string: event.id)
        document.append("received_at", date: event.receivedAt)
        document.append("source", string: event.source.rawValue)
        return .success(document)
    }

    /// One unordered bulk insert; per-document write errors are sorted into duplicates and rejects.
    private static func insertMany(_ documents: [BSONDocument], into collection: OpaquePointer) throws(StoreError) -> [(Int, InsertOutcome)] {
        // Validation is the server's job: a client-side failure would fail the whole batch.
        let options = try BSONDocument(json: #"{"ordered": false, "validate": false}"#)
        var pointers: [OpaquePointer?] = documents.map(\.pointer)
        var error = bson_error_t()
        let (ok, reply) = BSONDocument.withReply { reply in
            pointers.withUnsafeMutableBufferPointer { buffer in
                mongoc_collection_insert_many(collection, buffer.baseAddress, buffer.count, options.pointer, reply, &error)
            }
        }
        if ok { return [] }
        let summary = try? JSONDecoder().decode(BulkReply.self, from: Data(reply.utf8))
        guard let summary, let writeErrors = summary.writeErrors, !writeErrors.isEmpty,
              (summary.writeConcernErrors ?? []).isEmpty else {
            throw .unavailable(error.text)
        }
        return writeErrors.map { writeError -> (Int, InsertOutcome) in
            (writeError.index, writeError.code == 11000 ? .duplicate : .rejected("MongoDB \(writeError.code): \(writeError.errmsg)"))
        }
    }

    private struct BulkReply: Decodable {
        struct WriteError: Decodable {
            let index: Int
            let code: Int
            let errmsg: String
        }
        let writeErrors: [WriteError]?
        let writeConcernErrors: [IgnoredValue]?
    }
}
