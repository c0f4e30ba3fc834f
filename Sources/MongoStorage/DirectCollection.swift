import CMongoC
import Foundation

/// One collection over one libmongoc client of its own, called on the caller's thread: for the
/// benchmark's ceilings and synthetic data sets, which measure libmongoc itself (no pool, no thread
/// hop). Not Sendable: use it from one thread.
public final class DirectCollection {
    private let client: OpaquePointer
    private let collection: OpaquePointer
    public let name: String

    public init(uri text: String, name: String) throws(StoreError) {
        _ = mongocInitialized
        var error = bson_error_t()
        guard let uri = mongoc_uri_new_with_error(text, &error) else { throw .invalidConfiguration("\(text): \(error.text)") }
        defer { mongoc_uri_destroy(uri) }
        guard let client = mongoc_client_new_from_uri(uri) else { throw .invalidConfiguration("no client for \(text)") }
        mongoc_client_set_error_api(client, 2)
        self.client = client
        let database = mongoc_uri_get_database(uri).map { String(cString: $0) } ?? "lookout"
        collection = mongoc_client_get_collection(client, database, name)
        self.name = name
    }

    deinit {
        mongoc_collection_destroy(collection)
        mongoc_client_destroy(client)
    }

    /// Creates the indexes the catalogue declares for `spec` (on this collection, whatever its name).
    public func createIndexes(like spec: StoredCollection) throws(StoreError) {
        let indexes = spec.indexes.map { BSON.document(["key": .document($0.key), "name": .string($0.name)]) }
        let command = try OwnedBSON(["createIndexes": .string(name), "indexes": .array(indexes)])
        var error = bson_error_t()
        guard mongoc_collection_command_simple(collection, command.pointer, nil, nil, &error) else {
            throw .unavailable("createIndexes: \(error.text)")
        }
    }

    public func drop() {
        var error = bson_error_t()
        _ = mongoc_collection_drop(collection, &error)
    }

    /// One unordered bulk insert of documents already in BSON, acknowledged with the URI's write concern.
    public func insertMany(_ documents: [PreparedDocument]) throws(StoreError) {
        let options = try OwnedBSON(["ordered": false])
        var pointers: [OpaquePointer?] = documents.map(\.bson.pointer)
        var error = bson_error_t()
        let ok = pointers.withUnsafeMutableBufferPointer { buffer in
            mongoc_collection_insert_many(collection, buffer.baseAddress, buffer.count, options.pointer, nil, &error)
        }
        guard ok else { throw .unavailable("insert_many: \(error.text)") }
    }

    public func deleteMany(_ filter: BSONDocument) throws(StoreError) {
        let selector = try OwnedBSON(filter)
        var error = bson_error_t()
        guard mongoc_collection_delete_many(collection, selector.pointer, nil, nil, &error) else {
            throw .unavailable("delete_many: \(error.text)")
        }
    }

    public func upsert(filter: BSONDocument, update: BSONDocument) throws(StoreError) {
        let selector = try OwnedBSON(filter), change = try OwnedBSON(update), options = try OwnedBSON(["upsert": true])
        var error = bson_error_t()
        guard mongoc_collection_update_one(collection, selector.pointer, change.pointer, options.pointer, nil, &error) else {
            throw .unavailable("update_one: \(error.text)")
        }
    }
}

/// A document built into libbson form ahead of a timed insert (so the timing is of the insert).
/// Not Sendable, like `DirectCollection`.
public final class PreparedDocument {
    let bson: OwnedBSON

    /// JSON parsed by libbson, as the store worker parses an event body.
    public init(json: [UInt8]) throws(StoreError) { bson = try OwnedBSON(json: json) }

    public init(_ document: BSONDocument) throws(StoreError) { bson = try OwnedBSON(document) }

    public convenience init(encoding value: some Encodable) throws(StoreError) {
        try self.init(BSONEncoder().encode(value))
    }

    public func append(_ key: String, _ value: BSON) throws(StoreError) { try bson.append(key, value) }
}
