import CMongoC

/// Writes `BSON` values into a libbson `bson_t` with the `bson_append_*` calls. Nested documents
/// and arrays are appended in place (`_begin`/`_end`) into a child `bson_t` on 128-byte aligned
/// scratch memory, as libbson requires.
enum BSONWriter {
    static func append(_ document: BSONDocument, to target: OpaquePointer) throws(StoreError) {
        for (key, value) in document.fields { try append(key, value, to: target) }
    }

    static func append(_ key: String, _ value: BSON, to target: OpaquePointer) throws(StoreError) {
        guard !key.utf8.contains(0) else { throw .invalidDocument("field name with a NUL byte: \(key.debugDescription)") }
        var nested: StoreError?
        let appended = key.withCString { name -> Bool in
            switch value {
            case .double(let number): return bson_append_double(target, name, -1, number)
            case .string(let text): return appendUTF8(text, name, target)
            case .document(let fields):
                return withChild { child in
                    guard bson_append_document_begin(target, name, -1, child) else { return false }
                    do throws(StoreError) { try append(fields, to: child) } catch { nested = error }
                    return bson_append_document_end(target, child)
                }
            case .array(let items):
                return withChild { child in
                    guard bson_append_array_begin(target, name, -1, child) else { return false }
                    do throws(StoreError) {
                        for (index, item) in items.enumerated() { try append(String(index), item, to: child) }
                    } catch { nested = error }
                    return bson_append_array_end(target, child)
                }
            case .binary(let bytes):
                return bytes.withUnsafeBufferPointer { buffer in
                    bson_append_binary(target, name, -1, BSON_SUBTYPE_BINARY, buffer.baseAddress, UInt32(buffer.count))
                }
            case .objectID(let hex):
                guard hex.utf8.count == 24, bson_oid_is_valid(hex, 24) else { return false }
                var oid = bson_oid_t()
                bson_oid_init_from_string(&oid, hex)
                return bson_append_oid(target, name, -1, &oid)
            case .bool(let flag): return bson_append_bool(target, name, -1, flag)
            case .datetime(let milliseconds): return bson_append_date_time(target, name, -1, milliseconds)
            case .null: return bson_append_null(target, name, -1)
            case .int32(let number): return bson_append_int32(target, name, -1, number)
            case .int64(let number): return bson_append_int64(target, name, -1, number)
            case .unsupported: return false
            }
        }
        if let nested { throw nested }
        guard appended else {
            throw .invalidDocument("cannot write field \(key.debugDescription) (\(value.typeName)): invalid value or document too large")
        }
    }

    /// A string with its length, so text with NUL bytes is kept whole.
    private static func appendUTF8(_ text: String, _ name: UnsafePointer<CChar>, _ target: OpaquePointer) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, bytes.count > 0 else { return bson_append_utf8(target, name, -1, "", 0) }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                bson_append_utf8(target, name, -1, $0, Int32(bytes.count))
            }
        }
    }

    /// Scratch storage for a child `bson_t` (128-byte aligned, 128 bytes).
    static func withChild<T>(_ body: (OpaquePointer) -> T) -> T {
        let storage = UnsafeMutableRawPointer.allocate(byteCount: 128, alignment: 128)
        defer { storage.deallocate() }
        return body(OpaquePointer(storage))
    }
}
