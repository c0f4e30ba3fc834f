import CMongoC
import Foundation

/// One write in an unordered bulk; documents and filters are Extended JSON.
public enum WriteOperation: Sendable {
    case insert(String)
    case replaceOne(filter: String, replacement: String, upsert: Bool)
    case updateOne(filter: String, update: String, upsert: Bool)
    case deleteMany(filter: String)
}

/// Per-operation errors of a bulk write that otherwise went through.
public struct BulkWriteResult: Sendable {
    public struct Failure: Sendable, Decodable {
        public let index: Int
        public let code: Int
        public let errmsg: String
    }
    public let failures: [Failure]

    /// Failures other than duplicate keys (which mean "already there" for idempotent writes,
    /// and "a newer version is there" for guarded upserts).
    public var unexpectedFailures: [Failure] { failures.filter { $0.code != 11000 } }
}

extension MongoDatabase {
    /// Runs writes as one unordered bulk. Throws `.unavailable` when the bulk as a whole failed
    /// (server down, write concern not met): the caller retries it; every write here is idempotent.
    public func bulkWrite(_ collection: String, _ operations: [WriteOperation]) async throws(StoreError) -> BulkWriteResult {
        guard !operations.isEmpty else { return BulkWriteResult(failures: []) }
        let prepared = UncheckedBox(try operations.map(PreparedOperation.init))
        return try await withCollection(collection) { handle throws(StoreError) in
            try Self.execute(prepared.value, on: handle)
        }
    }

    private static func execute(_ operations: [PreparedOperation], on collection: OpaquePointer) throws(StoreError) -> BulkWriteResult {
        let options = try BSONDocument(json: #"{"ordered": false}"#)
        let upsert = try BSONDocument(json: #"{"upsert": true}"#)
        let noValidation = try BSONDocument(json: #"{"validate": false}"#)
        guard let bulk = mongoc_collection_create_bulk_operation_with_opts(collection, options.pointer) else {
            throw .unavailable("cannot create a bulk operation")
        }
        defer { mongoc_bulk_operation_destroy(bulk) }
        var error = bson_error_t()
        for operation in operations {
            let added: Bool
            switch operation {
            case .insert(let document):
                added = mongoc_bulk_operation_insert_with_opts(bulk, document.pointer, noValidation.pointer, &error)
            case .replaceOne(let filter, let replacement, let upserting):
                added = mongoc_bulk_operation_replace_one_with_opts(bulk, filter.pointer, replacement.pointer,
                                                                    upserting ? upsert.pointer : nil, &error)
            case .updateOne(let filter, let update, let upserting):
                added = mongoc_bulk_operation_update_one_with_opts(bulk, filter.pointer, update.pointer,
                                                                   upserting ? upsert.pointer : nil, &error)
            case .deleteMany(let filter):
                added = mongoc_bulk_operation_remove_many_with_opts(bulk, filter.pointer, nil, &error)
            }
            guard added else { throw .invalidDocument(error.text) }
        }
        let (succeeded, reply) = BSONDocument.withReply { reply in
            mongoc_bulk_operation_execute(bulk, reply, &error) != 0
        }
        if succeeded { return BulkWriteResult(failures: []) }
        struct Reply: Decodable {
            let writeErrors: [BulkWriteResult.Failure]?
            let writeConcernErrors: [IgnoredValue]?
        }
        guard let parsed = try? JSONDecoder().decode(Reply.self, from: Data(reply.utf8)),
              let failures = parsed.writeErrors, !failures.isEmpty, (parsed.writeConcernErrors ?? []).isEmpty else {
            throw .unavailable(error.text)
        }
        return BulkWriteResult(failures: failures)
    }
}

/// A write with its documents already parsed into BSON.
private enum PreparedOperation {
    case insert(BSONDocument)
    case replaceOne(filter: BSONDocument, replacement: BSONDocument, upsert: Bool)
    case updateOne(filter: BSONDocument, update: BSONDocument, upsert: Bool)
    case deleteMany(filter: BSONDocument)

    init(_ operation: WriteOperation) throws(StoreError) {
        switch operation {
        case .insert(let json): self = .insert(try BSONDocument(json: json))
        case .replaceOne(let filter, let replacement, let upsert):
            self = .replaceOne(filter: try BSONDocument(json: filter), replacement: try BSONDocument(json: replacement), upsert: upsert)
        case .updateOne(let filter, let update, let upsert):
            self = .updateOne(filter: try BSONDocument(json: filter), update: try BSONDocument(json: update), upsert: upsert)
        case .deleteMany(let filter): self = .deleteMany(filter: try BSONDocument(json: filter))
        }
    }
}

struct IgnoredValue: Decodable {
    init(from decoder: any Decoder) throws {}
}
