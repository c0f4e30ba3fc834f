import Foundation
import Projections
import Testing
@testable import MongoStorage

/// Round trips through libbson: Swift value → BSONDocument → bson_t → BSONDocument → Swift value.
@Suite struct BSONCodecTests {
    struct Inner: Codable, Equatable {
        let name: String
        let count: Int
        let tags: [String]
    }

    struct Outer: Codable, Equatable {
        let id: String
        let inner: Inner
        let nested: [[Inner]]
        let flag: Bool
        let ratio: Double
        let big: Int64
        let small: Int32
        let at: Date
        let stamp: BSONDate
        let optional: String?
        let missing: Int?
        let stamps: [BSONDate]
        enum CodingKeys: String, CodingKey {
            case id = "_id", inner, nested, flag, ratio, big, small, at, stamp, optional, missing, stamps
        }
    }

    /// Through libbson: written with `bson_append_*`, read back with `bson_iter_t`.
    func throughLibbson(_ document: BSONDocument) throws -> BSONDocument {
        try OwnedBSON(document).document
    }

    func roundTrip<T: Codable>(_ value: T) throws -> T {
        try BSONDecoder().decode(T.self, from: throughLibbson(BSONEncoder().encode(value)))
    }

    let sample = Outer(id: "m-1", inner: Inner(name: "Ana \"A\" O'Brien", count: 3, tags: ["a", "", "ü ✓"]),
                       nested: [[Inner(name: "x", count: -1, tags: [])], []], flag: true, ratio: 0.25,
                       big: 9_007_199_254_740_993, small: -7, at: Date(timeIntervalSince1970: 1_764_547_200.123),
                       stamp: BSONDate(milliseconds: 1_764_547_200_456), optional: "here", missing: nil,
                       stamps: [BSONDate(milliseconds: 0), BSONDate(milliseconds: -1000)])

    @Test func nestedValuesRoundTrip() throws {
        #expect(try roundTrip(sample) == sample)
    }

    @Test func datesAreNativeDatetimes() throws {
        let document = try throughLibbson(BSONEncoder().encode(sample))
        #expect(document["at"] == .datetime(1_764_547_200_123))
        #expect(document["stamp"] == .datetime(1_764_547_200_456))
        #expect(document["stamps"] == .array([.datetime(0), .datetime(-1000)]))
    }

    @Test func optionalsAreLeftOutAndNullsReadAsNil() throws {
        let document = try BSONEncoder().encode(sample)
        #expect(document["missing"] == nil)
        #expect(document.keys == ["_id", "inner", "nested", "flag", "ratio", "big", "small", "at", "stamp", "optional", "stamps"])
        var withNull = document
        withNull["optional"] = .null
        withNull["missing"] = .null
        let decoded = try BSONDecoder().decode(Outer.self, from: throughLibbson(withNull))
        #expect(decoded.optional == nil && decoded.missing == nil)
    }

    @Test func integersKeepTheShapeTheJSONPathStored() throws {
        let document = try BSONEncoder().encode(sample)
        #expect(document["small"] == .int32(-7))
        #expect(document["big"] == .int64(9_007_199_254_740_993))
        #expect(document["inner"]?.documentValue?["count"] == .int32(3))
    }

    struct Numbers: Codable, Equatable {
        let a: Int
        let b: Int64
        let c: Double
        let d: Int32
    }

    @Test func numbersDecodeAcrossBSONNumericTypes() throws {
        let stored: BSONDocument = ["a": .int64(5), "b": .int32(6), "c": .int32(7), "d": .double(8)]
        #expect(try BSONDecoder().decode(Numbers.self, from: throughLibbson(stored)) == Numbers(a: 5, b: 6, c: 7, d: 8))
        let fraction: BSONDocument = ["a": .double(1.5), "b": 1, "c": 1, "d": 1]
        #expect(throws: StoreError.self) { try BSONDecoder().decode(Numbers.self, from: fraction) }
        let overflow: BSONDocument = ["a": 1, "b": 1, "c": 1, "d": .int64(1 << 40)]
        #expect(throws: StoreError.self) { try BSONDecoder().decode(Numbers.self, from: overflow) }
    }

    @Test func fieldNamesNeedNoEscaping() throws {
        let names = [#"quo"te"#, "dot.ted", "$dollar", #"back\slash"#, "{\"$where\": 1}", "ünï", ""]
        let document = BSONDocument(names.map { ($0, BSON.string($0)) })
        let read = try throughLibbson(document)
        #expect(read == document)
        #expect(read.keys == names)
        let decoded = try BSONDecoder().decode([String: String].self, from: read)
        #expect(decoded == Dictionary(uniqueKeysWithValues: names.map { ($0, $0) }))
    }

    @Test func stringsKeepEveryByte() throws {
        let document: BSONDocument = ["text": .string("nul\u{0}inside \"quoted\" \\ and \n newline")]
        #expect(try throughLibbson(document) == document)
    }

    @Test func fieldNamesWithNULAreRejected() {
        #expect(throws: StoreError.self) { try OwnedBSON(["a\u{0}b": 1]) }
    }

    @Test func everyValueTypeRoundTrips() throws {
        let document: BSONDocument = [
            "double": .double(-0.5), "string": "s", "document": ["x": ["y": .null]], "array": [1, "two", [3]],
            "binary": .binary([0, 1, 255]), "oid": .objectID("0123456789abcdef01234567"), "bool": false,
            "datetime": .datetime(-62_135_596_800_000), "null": .null, "int32": .int32(.min), "int64": .int64(.max),
        ]
        #expect(try throughLibbson(document) == document)
    }

    @Test func decodingErrorsNameTheField() throws {
        var document = try BSONEncoder().encode(sample)
        var inner = document["inner"]!.documentValue!
        inner["count"] = "three"
        document["inner"] = .document(inner)
        do {
            _ = try BSONDecoder().decode(Outer.self, from: document)
            Issue.record("decoded a string as Int")
        } catch {
            #expect(error.description.contains("field inner.count"), "\(error)")
            #expect(error.description.contains("found string"), "\(error)")
        }
        document["inner"] = .document(["name": "x", "count": 1, "tags": ["a", 2]])
        do {
            _ = try BSONDecoder().decode(Outer.self, from: document)
            Issue.record("decoded an int as String")
        } catch {
            #expect(error.description.contains("field inner.tags.1"), "\(error)")
        }
        document["inner"] = nil
        do {
            _ = try BSONDecoder().decode(Outer.self, from: document)
            Issue.record("decoded without a required field")
        } catch {
            #expect(error.description.contains("field inner: missing"), "\(error)")
        }
    }

    @Test func datesReadOnlyFromDatetimes() throws {
        struct Stamped: Decodable { let at: BSONDate }
        #expect(throws: StoreError.self) { try BSONDecoder().decode(Stamped.self, from: ["at": "2026-12-01T00:00:00Z"]) }
        #expect(try BSONDecoder().decode(Stamped.self, from: ["at": .datetime(5)]).at == BSONDate(milliseconds: 5))
    }

    /// A document the old path wrote (Extended JSON parsed by libbson) reads with the new decoder.
    @Test func documentsWrittenFromJSONDecode() throws {
        let json = #"{"_id": "m-1", "count": 3, "big": 9007199254740993, "at": {"$date": {"$numberLong": "1764547200123"}}, "ratio": 2}"#
        struct Old: Decodable, Equatable {
            let id: String, count: Int, big: Int64, at: BSONDate, ratio: Double
            enum CodingKeys: String, CodingKey { case id = "_id", count, big, at, ratio }
        }
        let decoded = try BSONDecoder().decode(Old.self, from: OwnedBSON(json: json).document)
        #expect(decoded == Old(id: "m-1", count: 3, big: 9_007_199_254_740_993, at: BSONDate(milliseconds: 1_764_547_200_123), ratio: 2))
    }

    /// Fields sorted by name at every level (JSONEncoder on Linux does not keep declaration order).
    func sortedFields(_ value: BSON) -> BSON {
        switch value {
        case .document(let document): .document(BSONDocument(document.fields.sorted { $0.key < $1.key }.map { ($0.key, sortedFields($0.value)) }))
        case .array(let items): .array(items.map(sortedFields))
        default: value
        }
    }

    /// The same value as earlier versions wrote it (JSONEncoder, then libbson's JSON parser) and as
    /// the BSON encoder writes it gives the same fields, of the same types (the order may differ:
    /// the BSON encoder keeps declaration order): stored documents read the same after an upgrade.
    @Test func sameShapeAsTheJSONPath() throws {
        struct Row: Codable { let view: String; let rows: Int; let at: BSONDate; let tags: [String]; let nested: Inner }
        let row = Row(view: "v", rows: 12, at: BSONDate(milliseconds: 42), tags: ["a"], nested: Inner(name: "n", count: 70_000, tags: []))
        let viaJSON = try OwnedBSON(json: String(decoding: try JSONEncoder().encode(row), as: UTF8.self)).document
        let viaBSON = try throughLibbson(BSONEncoder().encode(row))
        #expect(sortedFields(.document(viaBSON)) == sortedFields(.document(viaJSON)), "\(viaBSON) vs \(viaJSON)")
    }

    /// A prefix is the range up to its last character's successor: "meeting." takes "meeting.ended"
    /// and not "meetingX" or "lookout.meeting.x".
    @Test func aPrefixIsAStringRange() {
        #expect(BSON.hasPrefix("meeting.") == ["$gte": "meeting.", "$lt": "meeting/"])
        #expect(BSON.hasPrefix("") == ["$gte": ""])
    }

    @Test func operatorsBuildNestedDocuments() throws {
        var update = BSONUpdate()
        update.set("a.b", "x")
        update.inc("n", 1)
        update.set("c", .date(Date(timeIntervalSince1970: 1)))
        update.addToSet("timeline", each: ["e1", "e2"])
        update.currentDate("changed_at")
        #expect(update.document == [
            "$set": ["a.b": "x", "c": .datetime(1000)], "$inc": ["n": 1],
            "$addToSet": ["timeline": ["$each": ["e1", "e2"]]], "$currentDate": ["changed_at": true],
        ])
        let filter: BSONDocument = ["_id": .in(["a", "b"]), "n": .not(.gte(3)), "p": .all(.exists(true), .ne(""))]
        #expect(try throughLibbson(filter) == [
            "_id": ["$in": ["a", "b"]], "n": ["$not": ["$gte": 3]], "p": ["$exists": true, "$ne": ""],
        ])
    }

    @Test func bulkReplyWriteErrorsReadFromBSON() throws {
        let reply: BSONDocument = ["nInserted": 1, "writeErrors": [["index": 1, "code": 11000, "errmsg": "E11000 duplicate key"]],
                                   "writeConcernErrors": []]
        let failures = try #require(BulkExecution.writeErrors(reply))
        #expect(failures.map(\.index) == [1] && failures.map(\.code) == [11000])
        #expect(BulkExecution.writeErrors(["writeErrors": [], "writeConcernErrors": []]) == nil)
        #expect(BulkExecution.writeErrors(["writeErrors": [["index": 0, "code": 2, "errmsg": "x"]],
                                           "writeConcernErrors": [["code": 64]]]) == nil)
    }

    /// A type the typed values do not have (a regex from Extended JSON) is read past, and writing
    /// it back fails naming the field rather than writing something else.
    @Test func unsupportedTypesAreReadButNotWritten() throws {
        let parsed = try OwnedBSON(json: #"{"event": {"$regex": "^meeting\\."}, "n": 1}"#).document
        #expect(parsed["event"] == .unsupported(11))
        #expect(parsed["n"] == 1)
        do {
            _ = try OwnedBSON(parsed)
            Issue.record("wrote an unsupported value")
        } catch {
            #expect(error.description.contains("\"event\""), "\(error)")
        }
    }
}
