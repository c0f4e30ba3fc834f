import Foundation

/// Pieces of Extended JSON for filters and documents written by hand.
public enum ExtendedJSON {
    /// A JSON string literal, escaped.
    public static func string(_ text: String) -> String {
        String(decoding: (try? JSONEncoder().encode(text)) ?? Data(#""""#.utf8), as: UTF8.self)
    }

    public static func array(_ texts: some Sequence<String>) -> String {
        "[" + texts.map(string).joined(separator: ", ") + "]"
    }

    public static func date(_ date: Date) -> String {
        #"{"$date": {"$numberLong": "\#(Int64((date.timeIntervalSince1970 * 1000).rounded()))"}}"#
    }
}
