import Foundation
import LookoutCore

// Only MongoProjectionStore still uses this: build filters and documents from `BSON` values.

/// Pieces of Extended JSON for filters and documents written by hand.
public enum ExtendedJSON {
    /// A JSON string literal, escaped.
    public static func string(_ text: String) -> String {
        JSONString.literal(text)
    }

    public static func array(_ texts: some Sequence<String>) -> String {
        "[" + texts.map(string).joined(separator: ", ") + "]"
    }

    public static func object(_ fields: [String: String]) -> String {
        "{" + fields.sorted { $0.key < $1.key }.map { "\(string($0.key)): \($0.value)" }.joined(separator: ", ") + "}"
    }

    /// A whole document from a Codable value.
    public static func encode(_ value: some Encodable) throws(StoreError) -> String {
        do { return String(decoding: try JSONEncoder().encode(value), as: UTF8.self) }
        catch { throw .invalidDocument("cannot encode: \(error)") }
    }

    /// A Codable value from a document as `find` returns it (relaxed Extended JSON).
    public static func decode<T: Decodable>(_ json: String) throws(StoreError) -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(json.utf8)) }
        catch { throw .invalidDocument("unexpected document: \(error)") }
    }

    public static func date(_ date: Date) -> String {
        #"{"$date": {"$numberLong": "\#(Int64((date.timeIntervalSince1970 * 1000).rounded()))"}}"#
    }
}
