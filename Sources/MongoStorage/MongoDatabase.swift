import CMongoC
import Foundation
import LookoutCore
import NIOPosix

// So that files importing only MongoStorage (the projection store, until it moves) still see it.
@_exported import enum LookoutCore.StoreError

let mongocInitialized: Void = {
    mongoc_init()
    lookout_mongoc_install_log_handler()
}()

/// A pool of libmongoc clients for one database. Every call blocks in C, so it runs on its own
/// blocking thread pool and never on the Swift concurrency pool. Filters, updates and documents
/// cross to that thread as `BSONDocument` values (Sendable) and become `bson_t`s only there.
public final class MongoDatabase: Sendable {
    public let name: String
    private let handles: Handles

    /// The pool and URI: `mongoc_client_pool_t` is thread-safe (pop/push from any thread) and the
    /// URI is only read after `init`, so sharing them is sound.
    private final class Handles: @unchecked Sendable {
        let pool: OpaquePointer
        let uri: OpaquePointer
        init(pool: OpaquePointer, uri: OpaquePointer) {
            self.pool = pool
            self.uri = uri
        }
        deinit {
            mongoc_client_pool_destroy(pool)
            mongoc_uri_destroy(uri)
        }
    }

    /// `uri` as MongoDB documents it; the database is the URI's path (default `lookout`).
    /// Write concern, journaling and timeouts are URI options (`w=majority&journal=true`).
    public init(uri text: String, appName: String = "lookout") throws(StoreError) {
        _ = mongocInitialized
        var error = bson_error_t()
        guard let uri = mongoc_uri_new_with_error(text, &error) else {
            throw .invalidConfiguration("LOOKOUT_MONGO_URI: \(error.text)")
        }
        guard let pool = mongoc_client_pool_new_with_error(uri, &error) else {
            mongoc_uri_destroy(uri)
            throw .invalidConfiguration("LOOKOUT_MONGO_URI: \(error.text)")
        }
        mongoc_client_pool_set_error_api(pool, 2)
        mongoc_client_pool_set_appname(pool, appName)
        handles = Handles(pool: pool, uri: uri)
        name = mongoc_uri_get_database(uri).map { String(cString: $0) } ?? "lookout"
    }

    /// MongoDB calls block for up to the server-selection timeout while a server is away: threads
    /// of their own, so a store outage never starves other blocking work in the process.
    static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 8)
        pool.start()
        return pool
    }()

    /// Runs `body` with a pooled client on a blocking thread.
    func withClient<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws(StoreError) -> T) async throws(StoreError) -> T {
        let result: Result<T, StoreError>
        do {
            result = try await Self.threads.runIfActive { [handles] in
                let client = mongoc_client_pool_pop(handles.pool)!
                defer { mongoc_client_pool_push(handles.pool, client) }
                return Result { () throws(StoreError) in try body(client) }
            }
        } catch {
            throw .unavailable("blocking thread pool is not running")
        }
        return try result.get()
    }

    /// Runs `body` with a collection handle on a blocking thread.
    func withCollection<T: Sendable>(_ collection: String,
                                     _ body: @escaping @Sendable (OpaquePointer) throws(StoreError) -> T) async throws(StoreError) -> T {
        try await withClient { [name] client throws(StoreError) in
            let handle = mongoc_client_get_collection(client, name, collection)!
            defer { mongoc_collection_destroy(handle) }
            return try body(handle)
        }
    }

    /// Runs a database command (`createIndexes`, `ping`, `findAndModify`, ...) and returns its reply.
    public func command(_ command: BSONDocument) async throws(StoreError) -> BSONDocument {
        try await withClient { [name] client throws(StoreError) in
            let database = mongoc_client_get_database(client, name)!
            defer { mongoc_database_destroy(database) }
            let command = try OwnedBSON(command)
            var error = bson_error_t()
            let (ok, reply) = OwnedBSON.withReply { reply in
                mongoc_database_command_with_opts(database, command.pointer, nil, nil, reply, &error)
            }
            guard ok else { throw .unavailable(error.text) }
            return reply
        }
    }

    /// Creates a collection's indexes as the catalogue declares them; idempotent.
    public func ensureIndexes(_ collection: StoredCollection) async throws(StoreError) {
        guard !collection.indexes.isEmpty else { return }
        let specs = collection.indexes.map { BSON.document(["key": .document($0.key), "name": .string($0.name)]) }
        _ = try await command(["createIndexes": .string(collection.name), "indexes": .array(specs)])
    }

    /// Documents matching `filter`, as they are stored.
    public func findDocuments(_ collection: String, filter: BSONDocument = [:],
                              options: FindOptions = FindOptions()) async throws(StoreError) -> [BSONDocument] {
        try await find(collection, filter: filter, options: options.document, read: BSONReader.read)
    }

    /// Documents matching `filter`, decoded straight from BSON.
    public func find<T: Decodable>(_ type: T.Type, in collection: String, filter: BSONDocument = [:],
                                   options: FindOptions = FindOptions()) async throws(StoreError) -> [T] {
        let decoder = BSONDecoder()
        return try await findDocuments(collection, filter: filter, options: options).map { document throws(StoreError) in
            try decoder.decode(type, from: document)
        }
    }

    /// Documents matching `filter` as relaxed Extended JSON, for the callers that hand a stored
    /// event to Zoom's own JSON parser (`ZoomEvent.decode`) or print it.
    public func findJSON(_ collection: String, filter: BSONDocument = [:],
                         options: FindOptions = FindOptions()) async throws(StoreError) -> [String] {
        try await find(collection, filter: filter, options: options.document, read: OwnedBSON.json)
    }

    func find<Row: Sendable>(_ collection: String, filter: BSONDocument, options: BSONDocument,
                             read: @escaping @Sendable (OpaquePointer) -> Row) async throws(StoreError) -> [Row] {
        try await withCollection(collection) { handle throws(StoreError) in
            let filter = try OwnedBSON(filter), options = try OwnedBSON(options)
            let cursor = mongoc_collection_find_with_opts(handle, filter.pointer, options.pointer, nil)!
            defer { mongoc_cursor_destroy(cursor) }
            var rows: [Row] = []
            var document: OpaquePointer?
            while mongoc_cursor_next(cursor, &document), let document { rows.append(read(document)) }
            var error = bson_error_t()
            if mongoc_cursor_error(cursor, &error) { throw .unavailable(error.text) }
            return rows
        }
    }

    public func count(_ collection: String, filter: BSONDocument = [:]) async throws(StoreError) -> Int {
        try await withCollection(collection) { handle throws(StoreError) in
            let filter = try OwnedBSON(filter)
            var error = bson_error_t()
            let count = mongoc_collection_count_documents(handle, filter.pointer, nil, nil, nil, &error)
            guard count >= 0 else { throw .unavailable(error.text) }
            return Int(count)
        }
    }
}
