import Foundation

/// CSV as spreadsheets and Ruby's CSV (Jekyll `_data/`) read it: every field double-quoted,
/// quotes doubled, CRLF-free lines.
enum CSV {
    static func render(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    static func field(_ value: String) -> String {
        let flat = value.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
        return "\"" + flat.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// ISO 8601 in UTC with milliseconds dropped, the one date format of the Zoho exports.
    static func iso(_ date: BSONDate?) -> String {
        guard let date else { return "" }
        return date.date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }
}
