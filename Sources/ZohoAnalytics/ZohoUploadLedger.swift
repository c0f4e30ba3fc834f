import MongoStorage
import Foundation

/// What Zoho accepted, per table (view id): the digest of each row as last accepted, and the
/// digest of the whole CSV after the last complete upload. Written only after Zoho answered
/// success, so whatever was not acknowledged is sent again.
public protocol ZohoUploadLedger: Sendable {
    /// SHA-256 of the whole CSV of the last upload that completed.
    func tableDigest(view: String) async throws -> String?
    /// Row key → digest of the row as Zoho accepted it.
    func acceptedRows(view: String) async throws -> [String: String]
    func recordRows(view: String, _ rows: [ZohoUploadPlan.Row]) async throws
    func recordTable(view: String, table: String, digest: String, rows: Int) async throws
}

/// The ledger in MongoDB: `zoho_uploads` (one document per view: the whole CSV's SHA-256, as
/// before rows were tracked) and `zoho_rows` (one per row: `view`, `key`, `digest`).
public struct MongoZohoLedger: ZohoUploadLedger {
    public static let tables = "zoho_uploads"
    public static let rows = "zoho_rows"

    private let database: MongoDatabase

    public init(database: MongoDatabase) async throws {
        self.database = database
        try await database.ensureIndexes(Self.rows, [["view"]])
    }

    private struct TableState: Codable {
        let sha256: String
    }

    private struct RowState: Codable {
        let key: String
        let digest: String
    }

    public func tableDigest(view: String) async throws -> String? {
        let found = try await database.find(Self.tables, filter: #"{"_id": \#(ExtendedJSON.string(view))}"#)
        guard let json = found.first else { return nil }
        let state: TableState = try ExtendedJSON.decode(json)
        return state.sha256
    }

    public func acceptedRows(view: String) async throws -> [String: String] {
        let found = try await database.find(Self.rows, filter: #"{"view": \#(ExtendedJSON.string(view))}"#,
                                            options: #"{"projection": {"_id": 0, "key": 1, "digest": 1}}"#)
        var rows: [String: String] = [:]
        rows.reserveCapacity(found.count)
        for json in found {
            let row: RowState = try ExtendedJSON.decode(json)
            rows[row.key] = row.digest
        }
        return rows
    }

    public func recordRows(view: String, _ rows: [ZohoUploadPlan.Row]) async throws {
        // Bulks of a few thousand: a first upload of a year's rows is one bulk per file otherwise.
        for start in stride(from: 0, to: rows.count, by: 5000) {
            let operations = rows[start..<min(start + 5000, rows.count)].map { row in
                WriteOperation.replaceOne(filter: #"{"_id": \#(ExtendedJSON.string(view + "/" + row.key))}"#,
                                          replacement: ExtendedJSON.object(["view": ExtendedJSON.string(view), "key": ExtendedJSON.string(row.key),
                                                                            "digest": ExtendedJSON.string(row.digest)]),
                                          upsert: true)
            }
            try Self.check(try await database.bulkWrite(Self.rows, operations))
        }
    }

    public func recordTable(view: String, table: String, digest: String, rows: Int) async throws {
        let update = #"{"$set": {"sha256": \#(ExtendedJSON.string(digest)), "table": \#(ExtendedJSON.string(table)), "rows": \#(rows), "uploaded_at": \#(ExtendedJSON.date(Date()))}}"#
        try Self.check(try await database.bulkWrite(Self.tables, [.updateOne(filter: #"{"_id": \#(ExtendedJSON.string(view))}"#, update: update, upsert: true)]))
    }

    private static func check(_ result: BulkWriteResult) throws {
        if let failure = result.failures.first { throw StoreError.invalidDocument("zoho ledger: \(failure.errmsg)") }
    }
}
