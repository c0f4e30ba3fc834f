import Foundation
import Projections

/// Encodable → BSON document, with no JSON in between. Foundation `Date` and `BSONDate` become
/// BSON datetimes; integers are int32 when they fit and int64 otherwise, as libbson's JSON parser
/// stored the documents the JSON path wrote; `nil` optionals are left out (as `JSONEncoder` does).
public struct BSONEncoder: Sendable {
    public init() {}

    public func encode(_ value: some Encodable) throws(StoreError) -> BSONDocument {
        let encoded: BSON
        do { encoded = try Self.box(value, codingPath: []) } catch { throw .invalidDocument("cannot encode \(type(of: value)): \(error)") }
        guard case .document(let document) = encoded else {
            throw .invalidDocument("cannot encode \(type(of: value)): not a document but \(encoded.typeName)")
        }
        return document
    }

    /// One value as BSON: the types BSON has natively first, then the value's own `encode(to:)`.
    static func box(_ value: some Encodable, codingPath: [any CodingKey]) throws -> BSON {
        switch value {
        case let value as BSON: return value
        case let value as BSONDocument: return .document(value)
        case let value as BSONDate: return .datetime(value.milliseconds)
        case let value as Date: return .date(value)
        default:
            let slot = Slot()
            try value.encode(to: SlotEncoder(slot: slot, codingPath: codingPath))
            return slot.resolved
        }
    }
}

/// Where one encoded value goes: a plain value, or a document or array whose members are slots of
/// their own (nested containers write into them after they were handed out).
final class Slot {
    enum Content {
        case empty
        case value(BSON)
        case document([(String, Slot)])
        case array([Slot])
    }
    var content = Content.empty

    var resolved: BSON {
        switch content {
        case .empty: .document(BSONDocument())
        case .value(let value): value
        case .document(let fields): .document(BSONDocument(fields.map { ($0.0, $0.1.resolved) }))
        case .array(let items): .array(items.map(\.resolved))
        }
    }

    /// The slot for `key`, replacing an earlier value of the same key (a second `encode` wins).
    func field(_ key: String) -> Slot {
        var fields: [(String, Slot)] = []
        if case .document(let existing) = content { fields = existing }
        let slot = Slot()
        if let index = fields.firstIndex(where: { $0.0 == key }) { fields[index].1 = slot } else { fields.append((key, slot)) }
        content = .document(fields)
        return slot
    }

    func makeDocument() {
        if case .document = content { return }
        content = .document([])
    }

    func makeArray() {
        if case .array = content { return }
        content = .array([])
    }

    func appendItem() -> Slot {
        var items: [Slot] = []
        if case .array(let existing) = content { items = existing }
        let slot = Slot()
        items.append(slot)
        content = .array(items)
        return slot
    }

    var itemCount: Int {
        if case .array(let items) = content { items.count } else { 0 }
    }
}

/// The primitive values every container writes the same way.
private func primitive(_ value: some Encodable, codingPath: [any CodingKey]) throws -> BSON {
    switch value {
    case let value as String: .string(value)
    case let value as Bool: .bool(value)
    case let value as Double: .double(value)
    case let value as Float: .double(Double(value))
    case let value as Int: .int(value)
    case let value as Int8: .int32(Int32(value))
    case let value as Int16: .int32(Int32(value))
    case let value as Int32: .int32(value)
    case let value as Int64: .int(value)
    case let value as UInt8: .int32(Int32(value))
    case let value as UInt16: .int32(Int32(value))
    case let value as UInt32: .int(value)
    case let value as UInt: try unsigned(UInt64(value), codingPath)
    case let value as UInt64: try unsigned(value, codingPath)
    default: try BSONEncoder.box(value, codingPath: codingPath)
    }
}

private func unsigned(_ value: UInt64, _ codingPath: [any CodingKey]) throws -> BSON {
    guard let signed = Int64(exactly: value) else {
        throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "\(value) does not fit BSON's int64"))
    }
    return .int(signed)
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: Slot
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { slot.field(key.stringValue).content = .value(.null) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        slot.field(key.stringValue).content = .value(try primitive(value, codingPath: codingPath + [key]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = slot.field(key.stringValue)
        child.makeDocument()
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(slot: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = slot.field(key.stringValue)
        child.makeArray()
        return UnkeyedContainer(slot: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { SlotEncoder(slot: slot.field("super"), codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { SlotEncoder(slot: slot.field(key.stringValue), codingPath: codingPath + [key]) }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let slot: Slot
    let codingPath: [any CodingKey]
    var count: Int { slot.itemCount }

    mutating func encodeNil() throws { slot.appendItem().content = .value(.null) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = codingPath + [IndexKey(count)]
        slot.appendItem().content = .value(try primitive(value, codingPath: path))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = codingPath + [IndexKey(count)]
        let child = slot.appendItem()
        child.makeDocument()
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(slot: child, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = codingPath + [IndexKey(count)]
        let child = slot.appendItem()
        child.makeArray()
        return UnkeyedContainer(slot: child, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let path = codingPath + [IndexKey(count)]
        return SlotEncoder(slot: slot.appendItem(), codingPath: path)
    }
}

private struct SingleValueContainer: SingleValueEncodingContainer {
    let slot: Slot
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { slot.content = .value(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws { slot.content = .value(try primitive(value, codingPath: codingPath)) }
}

/// An encoder writing into one slot: a whole value, or one handed out by a container (`superEncoder`).
private final class SlotEncoder: Encoder {
    let slot: Slot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(slot: Slot, codingPath: [any CodingKey]) {
        self.slot = slot
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        slot.makeDocument()
        return KeyedEncodingContainer(KeyedContainer<Key>(slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        slot.makeArray()
        return UnkeyedContainer(slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleValueContainer(slot: slot, codingPath: codingPath) }
}
