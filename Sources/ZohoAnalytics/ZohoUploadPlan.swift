import Crypto
import Foundation

/// The rows of one table that Zoho has not accepted in their current form, in files under the
/// import size limit. Pure: the CSV of now and the digests of what Zoho accepted in, files out.
public struct ZohoUploadPlan: Sendable {
    public struct Row: Sendable, Equatable {
        /// The first column: the table's matching column (`disconnection_id`, `incident_id`).
        public let key: String
        public let line: String
        public let digest: String
    }

    /// Zoho's limit for a file of the synchronous import API.
    public static let maxFileBytes = 20 * 1024 * 1024

    public let header: String
    /// New rows and rows whose content changed, in the CSV's order.
    public let changed: [Row]
    public let unchanged: Int
    /// Keys Zoho accepted once that the CSV no longer has (export privacy narrowed, projections
    /// rebuilt): `updateadd` cannot remove them, so they stay in Zoho.
    public let withdrawn: Int

    /// `accepted`: key → digest of the row as Zoho last accepted it.
    public init(csv: String, accepted: [String: String]) {
        // By byte: a lone "\r" before the newline would make one Character of "\r\n".
        var lines = csv.utf8.split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }
        header = lines.isEmpty ? "" : lines.removeFirst()
        let rows = lines.map { line in Row(key: Self.key(of: line), line: line, digest: Self.digest(line)) }
        changed = rows.filter { accepted[$0.key] != $0.digest }
        unchanged = rows.count - changed.count
        let present = Set(rows.map(\.key))
        withdrawn = accepted.keys.filter { !present.contains($0) }.count
    }

    /// The changed rows as CSV files (header first) of at most `maxBytes` each; a row longer
    /// than that on its own still gets a file (and Zoho's refusal).
    public func files(maxBytes: Int = Self.maxFileBytes) -> [[Row]] {
        let headerBytes = header.utf8.count + 1
        var files: [[Row]] = []
        var current: [Row] = []
        var size = headerBytes
        for row in changed {
            let bytes = row.line.utf8.count + 1
            if !current.isEmpty, size + bytes > maxBytes {
                files.append(current)
                current = []
                size = headerBytes
            }
            current.append(row)
            size += bytes
        }
        if !current.isEmpty { files.append(current) }
        return files
    }

    public func csv(_ rows: [Row]) -> String {
        ([header] + rows.map(\.line)).joined(separator: "\n") + "\n"
    }

    /// The first field, unquoted (`"a""b",...` → `a"b`): every field of the Zoho CSVs is quoted
    /// and each row is one line.
    static func key(of line: String) -> String {
        guard line.first == "\"" else { return String(line.prefix { $0 != "," }) }
        var key = ""
        var index = line.index(after: line.startIndex)
        while index < line.endIndex {
            let character = line[index]
            let next = line.index(after: index)
            if character == "\"" {
                guard next < line.endIndex, line[next] == "\"" else { break }
                key.append("\"")
                index = line.index(after: next)
            } else {
                key.append(character)
                index = next
            }
        }
        return key
    }

    /// 128 bits of the row's SHA-256: enough to tell a changed row, half the state of the whole hash.
    static func digest(_ line: String) -> String {
        SHA256.hash(data: Data(line.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
    }
}
