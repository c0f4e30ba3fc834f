import CMongoC

/// Reads a libbson `bson_t` into `BSON` values with a `bson_iter_t` (128-byte aligned too, so it
/// lives on scratch memory like a child `bson_t`).
enum BSONReader {
    static func read(_ document: OpaquePointer) -> BSONDocument {
        BSONWriter.withChild { iterator in
            guard bson_iter_init(iterator, document) else { return BSONDocument() }
            return BSONDocument(fields(iterator))
        }
    }

    private static func fields(_ iterator: OpaquePointer) -> [(String, BSON)] {
        var fields: [(String, BSON)] = []
        while bson_iter_next(iterator) {
            fields.append((String(cString: bson_iter_key(iterator)), value(iterator)))
        }
        return fields
    }

    private static func value(_ iterator: OpaquePointer) -> BSON {
        let type = bson_iter_type(iterator)
        switch type.rawValue {
        case BSON_TYPE_DOUBLE.rawValue: return .double(bson_iter_double(iterator))
        case BSON_TYPE_UTF8.rawValue:
            var length: UInt32 = 0
            guard let text = bson_iter_utf8(iterator, &length) else { return .string("") }
            return .string(String(decoding: UnsafeRawBufferPointer(start: text, count: Int(length)), as: UTF8.self))
        case BSON_TYPE_DOCUMENT.rawValue, BSON_TYPE_ARRAY.rawValue:
            let children = BSONWriter.withChild { child in
                bson_iter_recurse(iterator, child) ? fields(child) : []
            }
            return type == BSON_TYPE_ARRAY ? .array(children.map(\.1)) : .document(BSONDocument(children))
        case BSON_TYPE_BINARY.rawValue:
            var subtype = bson_subtype_t(rawValue: 0)
            var length: UInt32 = 0
            var bytes: UnsafePointer<UInt8>?
            bson_iter_binary(iterator, &subtype, &length, &bytes)
            return .binary(bytes.map { Array(UnsafeBufferPointer(start: $0, count: Int(length))) } ?? [])
        case BSON_TYPE_OID.rawValue:
            var text = [CChar](repeating: 0, count: 25)
            bson_oid_to_string(bson_iter_oid(iterator), &text)
            return .objectID(String(cString: text))
        case BSON_TYPE_BOOL.rawValue: return .bool(bson_iter_bool(iterator))
        case BSON_TYPE_DATE_TIME.rawValue: return .datetime(bson_iter_date_time(iterator))
        case BSON_TYPE_NULL.rawValue, BSON_TYPE_UNDEFINED.rawValue: return .null
        case BSON_TYPE_INT32.rawValue: return .int32(bson_iter_int32(iterator))
        case BSON_TYPE_INT64.rawValue: return .int64(bson_iter_int64(iterator))
        default: return .unsupported(type.rawValue)
        }
    }
}
