/// Query operators as values: `["_id": .in(ids), "ended_at": .lte(.date(cutoff))]`.
extension BSON {
    public static func `in`(_ values: [BSON]) -> BSON { ["$in": .array(values)] }
    public static func `in`(_ values: some Sequence<String>) -> BSON { .in(values.map(BSON.string)) }
    public static func exists(_ present: Bool) -> BSON { ["$exists": .bool(present)] }
    public static func ne(_ value: BSON) -> BSON { ["$ne": value] }
    public static func gt(_ value: BSON) -> BSON { ["$gt": value] }
    public static func gte(_ value: BSON) -> BSON { ["$gte": value] }
    public static func lte(_ value: BSON) -> BSON { ["$lte": value] }
    /// `{$not: condition}`, e.g. `.not(.gte(n))`, which also matches documents without the field.
    public static func not(_ condition: BSON) -> BSON { ["$not": condition] }

    /// Strings that start with `prefix`: the range from `prefix` up to (not including) `prefix` with
    /// its last character's successor, which an index serves (a `$regex` is not a typed value).
    public static func hasPrefix(_ prefix: String) -> BSON {
        guard let last = prefix.unicodeScalars.last, let next = Unicode.Scalar(last.value + 1) else { return .gte(.string(prefix)) }
        var upper = String.UnicodeScalarView(prefix.unicodeScalars.dropLast())
        upper.append(next)
        return .all(.gte(.string(prefix)), ["$lt": .string(String(upper))])
    }

    /// Several conditions on one field: `.all(.exists(true), .ne(""))` is `{$exists: true, $ne: ""}`.
    public static func all(_ conditions: BSON...) -> BSON {
        var merged = BSONDocument()
        for case .document(let condition) in conditions { merged = merged.merging(condition) }
        return .document(merged)
    }
}

/// An update document built operator by operator, in the order written:
///
///     var update = BSONUpdate()
///     update.set("topic", .string(topic))
///     update.inc("requests", .int(1))
///     update.currentDate("changed_at")
///     collection write: .updateOne(filter: ["_id": .string(id)], update: update.document, upsert: true)
public struct BSONUpdate: Sendable, Equatable {
    public private(set) var document = BSONDocument()

    public init() {}

    public var isEmpty: Bool { document.isEmpty }

    public mutating func set(_ key: String, _ value: BSON) { add("$set", key, value) }
    public mutating func setOnInsert(_ key: String, _ value: BSON) { add("$setOnInsert", key, value) }
    public mutating func inc(_ key: String, _ value: BSON) { add("$inc", key, value) }
    public mutating func min(_ key: String, _ value: BSON) { add("$min", key, value) }
    public mutating func max(_ key: String, _ value: BSON) { add("$max", key, value) }
    /// `$addToSet` of every value (`$each`).
    public mutating func addToSet(_ key: String, each values: [BSON]) { add("$addToSet", key, ["$each": .array(values)]) }
    /// The server's clock as a datetime.
    public mutating func currentDate(_ key: String) { add("$currentDate", key, .bool(true)) }

    private mutating func add(_ operation: String, _ key: String, _ value: BSON) {
        var fields = document[operation]?.documentValue ?? BSONDocument()
        fields[key] = value
        document[operation] = .document(fields)
    }
}

/// `find` options: which fields, in what order, how many.
public struct FindOptions: Sendable {
    public var projection: BSONDocument?
    public var sort: BSONDocument?
    public var limit: Int?

    public init(projection: BSONDocument? = nil, sort: BSONDocument? = nil, limit: Int? = nil) {
        self.projection = projection
        self.sort = sort
        self.limit = limit
    }

    var document: BSONDocument {
        var options = BSONDocument()
        if let projection { options["projection"] = .document(projection) }
        if let sort { options["sort"] = .document(sort) }
        if let limit { options["limit"] = .int64(Int64(limit)) }
        return options
    }
}
