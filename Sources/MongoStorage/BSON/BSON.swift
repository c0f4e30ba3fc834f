import Foundation

/// One BSON value, as libbson writes and reads it. Filters, updates, options and documents are
/// built from these (never from text), so field names and values need no escaping.
public enum BSON: Sendable, Equatable {
    case double(Double)
    case string(String)
    case document(BSONDocument)
    case array([BSON])
    case binary([UInt8])
    /// The 24 hex digits of an ObjectId.
    case objectID(String)
    case bool(Bool)
    /// Milliseconds since 1970 (UTC), BSON's datetime.
    case datetime(Int64)
    case null
    case int32(Int32)
    case int64(Int64)
    /// A value of a type Lookout never writes (decimal128, regex, timestamp, ...), by its BSON type
    /// number; it can be read past but not decoded or written back.
    case unsupported(UInt32)

    /// A datetime at millisecond precision, rounded as `BSONDate` rounds.
    public static func date(_ date: Date) -> BSON {
        .datetime(Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }

    /// An integer the way libbson's JSON parser stored it: int32 when it fits, else int64.
    public static func int(_ value: some BinaryInteger) -> BSON {
        if let small = Int32(exactly: value) { return .int32(small) }
        return .int64(Int64(truncatingIfNeeded: value))
    }

    /// The value as a whole number, whichever numeric type holds it (int32, int64, or a double
    /// with no fraction), as the relaxed JSON path read numbers.
    public var integer: Int64? {
        switch self {
        case .int32(let value): Int64(value)
        case .int64(let value): value
        case .double(let value): Int64(exactly: value)
        default: nil
        }
    }

    public var number: Double? {
        switch self {
        case .int32(let value): Double(value)
        case .int64(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    public var stringValue: String? {
        if case .string(let text) = self { text } else { nil }
    }

    public var documentValue: BSONDocument? {
        if case .document(let document) = self { document } else { nil }
    }

    /// For error messages: the BSON type's name.
    public var typeName: String {
        switch self {
        case .double: "double"
        case .string: "string"
        case .document: "document"
        case .array: "array"
        case .binary: "binary"
        case .objectID: "objectId"
        case .bool: "bool"
        case .datetime: "datetime"
        case .null: "null"
        case .int32: "int32"
        case .int64: "int64"
        case .unsupported(let type): "BSON type \(type)"
        }
    }
}

extension BSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: BSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, BSON)...) { self = .document(BSONDocument(elements)) }
    public init(nilLiteral: ()) { self = .null }
}

/// BSON values inside Codable types (`let extra: BSONDocument`) go through `BSONEncoder` and
/// `BSONDecoder` unchanged; other coders cannot represent them.
extension BSON: Codable {
    public init(from decoder: any Decoder) throws {
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "BSON values decode only with BSONDecoder"))
    }

    public func encode(to encoder: any Encoder) throws {
        throw EncodingError.invalidValue(self, .init(codingPath: encoder.codingPath, debugDescription: "BSON values encode only with BSONEncoder"))
    }
}

extension BSONDocument: Codable {
    public init(from decoder: any Decoder) throws {
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "BSON documents decode only with BSONDecoder"))
    }

    public func encode(to encoder: any Encoder) throws {
        throw EncodingError.invalidValue(self, .init(codingPath: encoder.codingPath, debugDescription: "BSON documents encode only with BSONEncoder"))
    }
}
