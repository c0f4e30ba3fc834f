import Foundation
import Projections

/// BSON document → Decodable, with no JSON in between. Numbers are read leniently across int32,
/// int64 and double (a whole double reads as an integer, any number as a double), as the relaxed
/// JSON path read them; BSON datetimes read as `Date` or `BSONDate`. Errors name the field.
public struct BSONDecoder: Sendable {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type = T.self, from document: BSONDocument) throws(StoreError) -> T {
        do { return try Self.unbox(type, from: .document(document), codingPath: []) }
        catch let error as DecodingError { throw .invalidDocument("unexpected document for \(T.self): \(Self.describe(error))") }
        catch { throw .invalidDocument("unexpected document for \(T.self): \(error)") }
    }

    /// "field meeting.started_at: expected Int, found string".
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let names = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return names.isEmpty ? "the document" : "field " + names.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.map(\.stringValue) + [key.stringValue]
            return "field \(parent.joined(separator: ".")): missing"
        @unknown default:
            return "\(error)"
        }
    }

    static func unbox<T: Decodable>(_ type: T.Type, from value: BSON, codingPath: [any CodingKey]) throws -> T {
        switch type {
        case is BSON.Type: return value as! T
        case is BSONDocument.Type:
            guard case .document(let document) = value else { throw mismatch(type, value, codingPath) }
            return document as! T
        case is BSONDate.Type:
            guard case .datetime(let milliseconds) = value else { throw mismatch(type, value, codingPath) }
            return BSONDate(milliseconds: milliseconds) as! T
        case is Date.Type:
            guard case .datetime(let milliseconds) = value else { throw mismatch(type, value, codingPath) }
            return Date(timeIntervalSince1970: Double(milliseconds) / 1000) as! T
        default:
            if let primitive = try primitive(type, from: value, codingPath: codingPath) { return primitive }
            return try T(from: ValueDecoder(value: value, codingPath: codingPath))
        }
    }

    /// Strings, booleans and numbers; nil when `T` is none of these.
    private static func primitive<T>(_ type: T.Type, from value: BSON, codingPath: [any CodingKey]) throws -> T? {
        func integer<I: FixedWidthInteger>(_: I.Type) throws -> T {
            guard let whole = value.integer, let fitting = I(exactly: whole) else { throw mismatch(type, value, codingPath) }
            return fitting as! T
        }
        switch type {
        case is String.Type:
            guard case .string(let text) = value else { throw mismatch(type, value, codingPath) }
            return (text as! T)
        case is Bool.Type:
            guard case .bool(let flag) = value else { throw mismatch(type, value, codingPath) }
            return (flag as! T)
        case is Double.Type:
            guard let number = value.number else { throw mismatch(type, value, codingPath) }
            return (number as! T)
        case is Float.Type:
            guard let number = value.number else { throw mismatch(type, value, codingPath) }
            return (Float(number) as! T)
        case is Int.Type: return try integer(Int.self)
        case is Int8.Type: return try integer(Int8.self)
        case is Int16.Type: return try integer(Int16.self)
        case is Int32.Type: return try integer(Int32.self)
        case is Int64.Type: return try integer(Int64.self)
        case is UInt.Type: return try integer(UInt.self)
        case is UInt8.Type: return try integer(UInt8.self)
        case is UInt16.Type: return try integer(UInt16.self)
        case is UInt32.Type: return try integer(UInt32.self)
        case is UInt64.Type: return try integer(UInt64.self)
        default: return nil
        }
    }

    static func mismatch(_ type: Any.Type, _ value: BSON, _ codingPath: [any CodingKey]) -> DecodingError {
        if case .null = value {
            return .valueNotFound(type, .init(codingPath: codingPath, debugDescription: "expected \(type), found null"))
        }
        return .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected \(type), found \(value.typeName)"))
    }
}

private struct ValueDecoder: Decoder {
    let value: BSON
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .document(let document) = value else { throw BSONDecoder.mismatch(BSONDocument.self, value, codingPath) }
        return KeyedDecodingContainer(KeyedContainer<Key>(document: document, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else { throw BSONDecoder.mismatch([BSON].self, value, codingPath) }
        return UnkeyedContainer(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(value: value, codingPath: codingPath)
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let codingPath: [any CodingKey]
    /// The first field of each name, as MongoDB reads a document.
    private let fields: [String: BSON]
    private let order: [String]

    init(document: BSONDocument, codingPath: [any CodingKey]) {
        self.codingPath = codingPath
        fields = Dictionary(document.fields.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        order = document.keys
    }

    var allKeys: [Key] { order.compactMap(Key.init(stringValue:)) }

    func contains(_ key: Key) -> Bool { fields[key.stringValue] != nil }

    private func value(_ key: Key) throws -> BSON {
        guard let value = fields[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no field \(key.stringValue)"))
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try value(key) { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try BSONDecoder.unbox(type, from: try value(key), codingPath: codingPath + [key])
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = fields[key.stringValue] else { return nil }
        if case .null = value { return nil }
        return try BSONDecoder.unbox(type, from: value, codingPath: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try ValueDecoder(value: try value(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try ValueDecoder(value: try value(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        ValueDecoder(value: fields["super"] ?? .null, codingPath: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        ValueDecoder(value: fields[key.stringValue] ?? .null, codingPath: codingPath + [key])
    }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let items: [BSON]
    let codingPath: [any CodingKey]
    var currentIndex = 0
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    init(items: [BSON], codingPath: [any CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    private mutating func next(_ type: Any.Type) throws -> (BSON, [any CodingKey]) {
        let path = codingPath + [IndexKey(currentIndex)]
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: path, debugDescription: "past the end of the array"))
        }
        defer { currentIndex += 1 }
        return (items[currentIndex], path)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, case .null = items[currentIndex] else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, path) = try next(type)
        return try BSONDecoder.unbox(type, from: value, codingPath: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (value, path) = try next(BSONDocument.self)
        return try ValueDecoder(value: value, codingPath: path).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (value, path) = try next([BSON].self)
        return try ValueDecoder(value: value, codingPath: path).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (value, path) = try next(BSON.self)
        return ValueDecoder(value: value, codingPath: path)
    }
}

private struct SingleValueContainer: SingleValueDecodingContainer {
    let value: BSON
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool {
        if case .null = value { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try BSONDecoder.unbox(type, from: value, codingPath: codingPath)
    }
}
