import CMongoC
import Foundation

/// A libbson `bson_t` on the C heap that frees itself. `bson_t` is 128-byte aligned, so Swift sees
/// only an `OpaquePointer`. Not Sendable: each one is built, used and freed by one thread (the
/// blocking thread of one MongoDB call), and `BSONDocument` values cross threads instead.
final class OwnedBSON {
    let pointer: OpaquePointer

    init() { pointer = bson_new() }

    convenience init(_ document: BSONDocument) throws(StoreError) {
        self.init()
        try BSONWriter.append(document, to: pointer)
    }

    /// Parses JSON (relaxed or canonical Extended JSON). Fails with libbson's message.
    init(json: some Collection<UInt8>) throws(StoreError) {
        var error = bson_error_t()
        let parsed = json.withContiguousStorageIfAvailable { bytes in
            bson_new_from_json(bytes.baseAddress, bytes.count, &error)
        } ?? Array(json).withUnsafeBufferPointer { bson_new_from_json($0.baseAddress, $0.count, &error) }
        guard let parsed else { throw .invalidDocument(String(cString: lookout_bson_error_message(&error))) }
        pointer = parsed
    }

    convenience init(json: String) throws(StoreError) {
        try self.init(json: Array(json.utf8))
    }

    deinit { bson_destroy(pointer) }

    func has(_ key: String) -> Bool { bson_has_field(pointer, key) }

    func append(_ key: String, _ value: BSON) throws(StoreError) {
        try BSONWriter.append(key, value, to: pointer)
    }

    var document: BSONDocument { BSONReader.read(pointer) }

    /// Relaxed Extended JSON (`{"$date": ...}` for dates).
    var json: String { Self.json(of: pointer) }

    static func json(of document: OpaquePointer) -> String {
        guard let text = bson_as_relaxed_extended_json(document, nil) else { return "{}" }
        defer { bson_free(text) }
        return String(cString: text)
    }

    /// Gives a C call a `bson_t` to initialise as its reply, and reads it afterwards.
    static func withReply<T, Reply>(_ body: (OpaquePointer) -> T, read: (OpaquePointer) -> Reply) -> (T, reply: Reply) {
        BSONWriter.withChild { reply in
            bson_init(reply)
            defer { bson_destroy(reply) }
            let result = body(reply)
            return (result, read(reply))
        }
    }

    static func withReply<T>(_ body: (OpaquePointer) -> T) -> (T, reply: BSONDocument) {
        withReply(body, read: BSONReader.read)
    }
}

extension bson_error_t {
    var text: String {
        var copy = self
        return String(cString: lookout_bson_error_message(&copy))
    }
}
