import CMongoC
import Foundation

/// One write in an unordered bulk, on typed documents.
public enum BSONWrite: Sendable {
    case insert(BSONDocument)
    case replaceOne(filter: BSONDocument, replacement: BSONDocument, upsert: Bool)
    case updateOne(filter: BSONDocument, update: BSONDocument, upsert: Bool)
    case deleteMany(filter: BSONDocument)
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

    /// Throws the first unexpected failure as `.invalidDocument`, naming the collection.
    public func check(_ collection: String) throws(StoreError) {
        if let failure = unexpectedFailures.first {
            throw .invalidDocument("\(collection): MongoDB \(failure.code): \(failure.errmsg)")
        }
    }
}

extension MongoDatabase {
    /// Runs writes as one unordered bulk. Throws `.unavailable` when the bulk as a whole failed
    /// (server down, write concern not met): the caller retries it; every write here is idempotent.
    public func bulkWrite(_ collection: String, _ writes: [BSONWrite]) async throws(StoreError) -> BulkWriteResult {
        guard !writes.isEmpty else { return BulkWriteResult(failures: []) }
        return try await withCollection(collection) { handle throws(StoreError) in
            try BulkExecution.run(writes.map { write throws(StoreError) in try PreparedWrite(write) }, on: handle)
        }
    }
}

/// A write with its documents in libbson form, on the blocking thread that runs it.
enum PreparedWrite {
    case insert(OwnedBSON)
    case replaceOne(filter: OwnedBSON, replacement: OwnedBSON, upsert: Bool)
    case updateOne(filter: OwnedBSON, update: OwnedBSON, upsert: Bool)
    case deleteMany(filter: OwnedBSON)

    init(_ write: BSONWrite) throws(StoreError) {
        switch write {
        case .insert(let document): self = .insert(try OwnedBSON(document))
        case .replaceOne(let filter, let replacement, let upsert):
            self = .replaceOne(filter: try OwnedBSON(filter), replacement: try OwnedBSON(replacement), upsert: upsert)
        case .updateOne(let filter, let update, let upsert):
            self = .updateOne(filter: try OwnedBSON(filter), update: try OwnedBSON(update), upsert: upsert)
        case .deleteMany(let filter): self = .deleteMany(filter: try OwnedBSON(filter))
        }
    }
}

enum BulkExecution {
    static func run(_ writes: [PreparedWrite], on collection: OpaquePointer) throws(StoreError) -> BulkWriteResult {
        let options = try OwnedBSON(["ordered": false])
        let upsert = try OwnedBSON(["upsert": true])
        // Validation is the server's job: a client-side failure would fail the whole batch.
        let noValidation = try OwnedBSON(["validate": false])
        guard let bulk = mongoc_collection_create_bulk_operation_with_opts(collection, options.pointer) else {
            throw .unavailable("cannot create a bulk operation")
        }
        defer { mongoc_bulk_operation_destroy(bulk) }
        var error = bson_error_t()
        for write in writes {
            let added: Bool
            switch write {
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
        let (succeeded, reply) = OwnedBSON.withReply { reply in
            mongoc_bulk_operation_execute(bulk, reply, &error) != 0
        }
        if succeeded { return BulkWriteResult(failures: []) }
        guard let failures = writeErrors(reply) else { throw .unavailable(error.text) }
        return BulkWriteResult(failures: failures)
    }

    /// The per-document errors of a bulk reply, or nil when the bulk as a whole failed (no write
    /// errors, or a write concern error besides them).
    static func writeErrors(_ reply: BSONDocument) -> [BulkWriteResult.Failure]? {
        struct Reply: Decodable {
            let writeErrors: [BulkWriteResult.Failure]?
            let writeConcernErrors: [BSON]?
        }
        // A reply not in this shape is not "only write errors": nil, and the caller throws the whole failure.
        guard let parsed = try? BSONDecoder().decode(Reply.self, from: reply),
              let failures = parsed.writeErrors, !failures.isEmpty, (parsed.writeConcernErrors ?? []).isEmpty else { return nil }
        return failures
    }
}
