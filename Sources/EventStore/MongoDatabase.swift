import CMongoC
import Foundation
import NIOPosix

private let mongocInitialized: Void = {
    mongoc_init()
    lookout_mongoc_install_log_handler()
}()

/// A pool of libmongoc clients for one database. Every call blocks in C, so it runs on NIO's
/// blocking thread pool and never on the Swift concurrency pool.
public final class MongoDatabase: @unchecked Sendable {
    public let name: String
    private let pool: OpaquePointer
    private let uri: OpaquePointer

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
        self.uri = uri
        self.pool = pool
        name = mongoc_uri_get_database(uri).map { String(cString: $0) } ?? "lookout"
    }

    deinit {
        mongoc_client_pool_destroy(pool)
        mongoc_uri_destroy(uri)
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
            result = try await Self.threads.runIfActive { [self] in
                let client = mongoc_client_pool_pop(self.pool)!
                defer { mongoc_client_pool_push(self.pool, client) }
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

    /// Runs a database command (`createIndexes`, `ping`, ...) and returns its reply as JSON.
    public func command(_ json: String) async throws(StoreError) -> String {
        let command = UncheckedBox(try BSONDocument(json: json))
        return try await withClient { [name] client throws(StoreError) in
            let database = mongoc_client_get_database(client, name)!
            defer { mongoc_database_destroy(database) }
            var error = bson_error_t()
            let (ok, reply) = BSONDocument.withReply { reply in
                mongoc_database_command_with_opts(database, command.value.pointer, nil, nil, reply, &error)
            }
            guard ok else { throw .unavailable(error.text) }
            return reply
        }
    }

    /// Creates ascending indexes (each a list of fields, compound when several); idempotent.
    public func ensureIndexes(_ collection: String, _ indexes: [[String]]) async throws(StoreError) {
        let specs = indexes.map { fields in
            let key = fields.map { #""\#($0)": 1"# }.joined(separator: ", ")
            return #"{"key": {\#(key)}, "name": "\#(fields.joined(separator: "_"))_1"}"#
        }
        _ = try await command(#"{"createIndexes": "\#(collection)", "indexes": [\#(specs.joined(separator: ", "))]}"#)
    }

    /// Documents matching `filter` as relaxed Extended JSON, with `options` (`sort`, `limit`, ...).
    public func find(_ collection: String, filter: String = "{}", options: String = "{}") async throws(StoreError) -> [String] {
        let filter = UncheckedBox(try BSONDocument(json: filter))
        let options = UncheckedBox(try BSONDocument(json: options))
        return try await withCollection(collection) { handle throws(StoreError) in
            let cursor = mongoc_collection_find_with_opts(handle, filter.value.pointer, options.value.pointer, nil)!
            defer { mongoc_cursor_destroy(cursor) }
            var documents: [String] = []
            var document: OpaquePointer?
            while mongoc_cursor_next(cursor, &document), let document {
                documents.append(BSONDocument.json(of: document))
            }
            var error = bson_error_t()
            if mongoc_cursor_error(cursor, &error) { throw .unavailable(error.text) }
            return documents
        }
    }

    public func count(_ collection: String, filter: String = "{}") async throws(StoreError) -> Int {
        let filter = UncheckedBox(try BSONDocument(json: filter))
        return try await withCollection(collection) { handle throws(StoreError) in
            var error = bson_error_t()
            let count = mongoc_collection_count_documents(handle, filter.value.pointer, nil, nil, nil, &error)
            guard count >= 0 else { throw .unavailable(error.text) }
            return Int(count)
        }
    }
}

/// Hands a C-backed value to the one blocking thread that will use it.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
