import CMongoC
import Foundation

/// A libbson document that frees itself. `bson_t` is 128-byte aligned, so Swift sees only an
/// `OpaquePointer` and the document lives on the C heap.
final class BSONDocument {
    let pointer: OpaquePointer

    init() { pointer = bson_new() }

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

    func append(_ key: String, string value: String) {
        bson_append_utf8(pointer, key, -1, value, -1)
    }

    func append(_ key: String, date: Date) {
        bson_append_date_time(pointer, key, -1, Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }

    /// Relaxed Extended JSON (`{"$date": ...}` for dates).
    var json: String { Self.json(of: pointer) }

    static func json(of document: OpaquePointer) -> String {
        guard let text = bson_as_relaxed_extended_json(document, nil) else { return "{}" }
        defer { bson_free(text) }
        return String(cString: text)
    }

    /// Gives a C call a `bson_t` to initialise as its reply, and frees it afterwards.
    static func withReply<T>(_ body: (OpaquePointer) -> T) -> (T, reply: String) {
        let storage = UnsafeMutableRawPointer.allocate(byteCount: 128, alignment: 128)
        defer { storage.deallocate() }
        let reply = OpaquePointer(storage)
        bson_init(reply)
        let result = body(reply)
        defer { bson_destroy(reply) }
        return (result, json(of: reply))
    }
}

extension bson_error_t {
    var text: String {
        var copy = self
        return String(cString: lookout_bson_error_message(&copy))
    }
}
