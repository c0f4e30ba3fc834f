import ArgumentParser
import CMongoC
import Foundation

/// libmongoc alone: one client, unordered `insert_many` of documents already in BSON.
final class RawCollection {
    private let client: OpaquePointer
    let collection: OpaquePointer

    init(uri: String, name: String) throws {
        mongoc_init()
        lookout_mongoc_install_log_handler()
        var error = bson_error_t()
        guard let parsed = mongoc_uri_new_with_error(uri, &error) else { throw ValidationError("bad URI \(uri)") }
        defer { mongoc_uri_destroy(parsed) }
        guard let client = mongoc_client_new_from_uri(parsed) else { throw ValidationError("no client for \(uri)") }
        mongoc_client_set_error_api(client, 2)
        self.client = client
        let database = mongoc_uri_get_database(parsed).map { String(cString: $0) } ?? "lookout"
        collection = mongoc_client_get_collection(client, database, name)
    }

    deinit {
        mongoc_collection_destroy(collection)
        mongoc_client_destroy(client)
    }

    /// Creates ascending indexes (compound when a spec lists several fields), named as Lookout names them.
    func createIndexes(_ specs: [[String]]) throws {
        let indexes = specs.map { fields in
            #"{"key": {\#(fields.map { #""\#($0)": 1"# }.joined(separator: ", "))}, "name": "\#(fields.joined(separator: "_"))_1"}"#
        }
        let name = String(cString: mongoc_collection_get_name(collection))
        let command = try Self.document(json: Array(#"{"createIndexes": "\#(name)", "indexes": [\#(indexes.joined(separator: ", "))]}"#.utf8))
        defer { bson_destroy(command) }
        var error = bson_error_t()
        guard mongoc_collection_command_simple(collection, command, nil, nil, &error) else {
            throw ValidationError("createIndexes: \(String(cString: lookout_bson_error_message(&error)))")
        }
    }

    func drop() {
        var error = bson_error_t()
        _ = mongoc_collection_drop(collection, &error)
    }

    static func document(json: [UInt8]) throws -> OpaquePointer {
        var error = bson_error_t()
        guard let document = json.withUnsafeBufferPointer({ bson_new_from_json($0.baseAddress, $0.count, &error) }) else {
            throw ValidationError("bad JSON: \(String(cString: lookout_bson_error_message(&error)))")
        }
        return document
    }

    /// One unordered bulk insert, acknowledged with the URI's write concern.
    func insertMany(_ documents: [OpaquePointer]) throws {
        let options = bson_new()!
        defer { bson_destroy(options) }
        bson_append_bool(options, "ordered", -1, false)
        var pointers: [OpaquePointer?] = documents
        var error = bson_error_t()
        let ok = pointers.withUnsafeMutableBufferPointer { buffer in
            mongoc_collection_insert_many(collection, buffer.baseAddress, buffer.count, options, nil, &error)
        }
        guard ok else { throw ValidationError("insert_many: \(String(cString: lookout_bson_error_message(&error)))") }
    }
}
