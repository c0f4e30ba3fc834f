import CMongoC
import Foundation
import StoreWorker

/// The `events` collection in MongoDB: `_id` = idempotency key, so a second insert of the same
/// event fails with duplicate key (11000) and counts as stored.
public struct MongoEventStore: RawEventStore {
    public static let collection = Catalogue.events.name

    private let database: MongoDatabase

    public init(database: MongoDatabase) {
        self.database = database
    }

    public func prepare() async throws(StoreError) {
        try await database.ensureIndexes(Catalogue.events)
    }

    /// The events become BSON on the blocking thread that inserts them: Zoom's JSON parsed by
    /// libbson, Lookout's fields appended.
    public func insert(_ events: [StoredEvent]) async throws(StoreError) -> [InsertOutcome] {
        try await database.withCollection(Self.collection) { collection throws(StoreError) in
            var outcomes = [InsertOutcome](repeating: .stored, count: events.count)
            var documents: [OwnedBSON] = []
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
            for (offset, outcome) in try Self.insertMany(documents, into: collection) { outcomes[positions[offset]] = outcome }
            return outcomes
        }
    }

    static func document(for event: StoredEvent) -> Result<OwnedBSON, StoreError> {
        guard event.body.first(where: { ![0x20, 0x09, 0x0a, 0x0d].contains($0) }) == UInt8(ascii: "{") else {
            return .failure(.invalidDocument("body is not a JSON object"))
        }
        return Result { () throws(StoreError) in
            let document = try OwnedBSON(json: event.body)
            guard !document.has("_id") else { throw .invalidDocument("body has its own _id field") }
            try document.append("_id", .string(event.id))
            try document.append("received_at", .date(event.receivedAt))
            try document.append("source", .string(event.source.rawValue))
            return document
        }
    }

    /// One unordered bulk insert; per-document write errors are sorted into duplicates and rejects.
    private static func insertMany(_ documents: [OwnedBSON], into collection: OpaquePointer) throws(StoreError) -> [(Int, InsertOutcome)] {
        // Validation is the server's job: a client-side failure would fail the whole batch.
        let options = try OwnedBSON(["ordered": false, "validate": false])
        var pointers: [OpaquePointer?] = documents.map(\.pointer)
        var error = bson_error_t()
        let (ok, reply) = OwnedBSON.withReply { reply in
            pointers.withUnsafeMutableBufferPointer { buffer in
                mongoc_collection_insert_many(collection, buffer.baseAddress, buffer.count, options.pointer, reply, &error)
            }
        }
        if ok { return [] }
        guard let writeErrors = BulkExecution.writeErrors(reply) else { throw .unavailable(error.text) }
        return writeErrors.map { writeError -> (Int, InsertOutcome) in
            (writeError.index, writeError.code == 11000 ? .duplicate : .rejected("MongoDB \(writeError.code): \(writeError.errmsg)"))
        }
    }
}
