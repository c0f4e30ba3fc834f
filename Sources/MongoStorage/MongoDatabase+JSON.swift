import CMongoC
import Foundation

/// The Extended-JSON string API of before the typed one. Only MongoProjectionStore still uses this
/// (and ProjectionRebuild, and a few integration tests' reads): remove it once the projection store
/// is on the typed API.
extension MongoDatabase {
    /// Runs a database command given as JSON and returns its reply as relaxed Extended JSON.
    public func command(_ json: String) async throws(StoreError) -> String {
        try await withClient { [name] client throws(StoreError) in
            let database = mongoc_client_get_database(client, name)!
            defer { mongoc_database_destroy(database) }
            let command = try OwnedBSON(json: json)
            var error = bson_error_t()
            let (ok, reply) = OwnedBSON.withReply({ reply in
                mongoc_database_command_with_opts(database, command.pointer, nil, nil, reply, &error)
            }, read: OwnedBSON.json)
            guard ok else { throw .unavailable(error.text) }
            return reply
        }
    }

    /// Creates ascending indexes (each a list of fields, compound when several); idempotent.
    public func ensureIndexes(_ collection: String, _ indexes: [[String]]) async throws(StoreError) {
        try await ensureIndexes(StoredCollection(collection, indexes: indexes.map(IndexSpec.init)))
    }

    /// Documents matching `filter` as relaxed Extended JSON, with `options` (`sort`, `limit`, ...).
    public func find(_ collection: String, filter: String = "{}", options: String = "{}") async throws(StoreError) -> [String] {
        try await withCollection(collection) { handle throws(StoreError) in
            let filter = try OwnedBSON(json: filter), options = try OwnedBSON(json: options)
            let cursor = mongoc_collection_find_with_opts(handle, filter.pointer, options.pointer, nil)!
            defer { mongoc_cursor_destroy(cursor) }
            var documents: [String] = []
            var document: OpaquePointer?
            while mongoc_cursor_next(cursor, &document), let document { documents.append(OwnedBSON.json(of: document)) }
            var error = bson_error_t()
            if mongoc_cursor_error(cursor, &error) { throw .unavailable(error.text) }
            return documents
        }
    }

    /// The filter goes to libmongoc as libbson parsed it (a `$regex` becomes a BSON regex, which
    /// the typed values do not have).
    public func count(_ collection: String, filter: String) async throws(StoreError) -> Int {
        try await withCollection(collection) { handle throws(StoreError) in
            let filter = try OwnedBSON(json: filter)
            var error = bson_error_t()
            let count = mongoc_collection_count_documents(handle, filter.pointer, nil, nil, nil, &error)
            guard count >= 0 else { throw .unavailable(error.text) }
            return Int(count)
        }
    }
}
