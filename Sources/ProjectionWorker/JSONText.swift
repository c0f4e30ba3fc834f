import EventStore
import Foundation
import Projections

/// Extended JSON text for MongoDB filters and documents.
enum JSONText {
    static func encode(_ value: some Encodable) throws(StoreError) -> String {
        do { return String(decoding: try JSONEncoder().encode(value), as: UTF8.self) }
        catch { throw .invalidDocument("cannot encode: \(error)") }
    }

    static func decode<T: Decodable>(_ json: String) throws(StoreError) -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(json.utf8)) }
        catch { throw .invalidDocument("unexpected document: \(error)") }
    }

    static func string(_ text: String) -> String {
        String(decoding: (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
    }

    static func array(_ texts: some Sequence<String>) -> String {
        "[" + texts.map(string).joined(separator: ", ") + "]"
    }

    static func object(_ fields: [String: String]) -> String {
        "{" + fields.sorted { $0.key < $1.key }.map { "\(string($0.key)): \($0.value)" }.joined(separator: ", ") + "}"
    }

    static func date(_ date: BSONDate) -> String {
        #"{"$date": {"$numberLong": "\#(date.milliseconds)"}}"#
    }
}
