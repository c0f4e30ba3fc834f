/// An ordered BSON document: fields in the order written (MongoDB reads the order of sort keys,
/// index keys and command names). Equal documents have the same fields in the same order.
public struct BSONDocument: Sendable, Equatable, ExpressibleByDictionaryLiteral, Sequence {
    public private(set) var fields: [(key: String, value: BSON)]

    public init() { fields = [] }

    public init(_ fields: some Sequence<(String, BSON)>) {
        self.fields = fields.map { (key: $0.0, value: $0.1) }
    }

    public init(dictionaryLiteral elements: (String, BSON)...) {
        self.init(elements)
    }

    public var isEmpty: Bool { fields.isEmpty }
    public var count: Int { fields.count }
    public var keys: [String] { fields.map(\.key) }

    public func makeIterator() -> IndexingIterator<[(key: String, value: BSON)]> { fields.makeIterator() }

    /// The first field of that name; setting replaces it in place, or appends, and `nil` removes it.
    public subscript(key: String) -> BSON? {
        get { fields.first { $0.key == key }?.value }
        set {
            let index = fields.firstIndex { $0.key == key }
            switch (index, newValue) {
            case (let index?, let value?): fields[index].value = value
            case (let index?, nil): fields.remove(at: index)
            case (nil, let value?): fields.append((key: key, value: value))
            case (nil, nil): break
            }
        }
    }

    /// Appends a field even when one of that name exists (BSON allows it; MongoDB mostly does not).
    public mutating func append(_ key: String, _ value: BSON) {
        fields.append((key: key, value: value))
    }

    /// This document's fields followed by `other`'s (replacing fields of the same name).
    public func merging(_ other: BSONDocument) -> BSONDocument {
        var merged = self
        for (key, value) in other.fields { merged[key] = value }
        return merged
    }

    public static func == (a: BSONDocument, b: BSONDocument) -> Bool {
        a.fields.count == b.fields.count && zip(a.fields, b.fields).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
