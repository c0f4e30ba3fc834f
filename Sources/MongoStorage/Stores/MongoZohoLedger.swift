import Foundation
import ZohoAnalytics

/// The Zoho ledger in MongoDB: `zoho_uploads` (one document per view: the whole CSV's SHA-256, as
/// before rows were tracked) and `zoho_rows` (one per row: `view`, `key`, `digest`).
public struct MongoZohoLedger: ZohoUploadLedger {
    public static let tables = Catalogue.zohoTables.name
    public static let rows = Catalogue.zohoRows.name

    private let database: MongoDatabase

    public init(database: MongoDatabase) async throws {
        self.database = database
        try await database.ensureIndexes(Catalogue.zohoRows)
    }

    private struct TableState: Decodable {
        let sha256: String
    }

    private struct RowState: Decodable {
        let key: String
        let digest: String
    }

    public func tableDigest(view: String) async throws -> String? {
        try await database.find(TableState.self, in: Self.tables, filter: ["_id": .string(view)]).first?.sha256
    }

    public func acceptedRows(view: String) async throws -> [String: String] {
        let found = try await database.find(RowState.self, in: Self.rows, filter: ["view": .string(view)],
                                            options: FindOptions(projection: ["_id": 0, "key": 1, "digest": 1]))
        var rows: [String: String] = [:]
        rows.reserveCapacity(found.count)
        for row in found { rows[row.key] = row.digest }
        return rows
    }

    public func recordRows(view: String, _ rows: [ZohoUploadPlan.Row]) async throws {
        // Bulks of a few thousand: a first upload of a year's rows is one bulk per file otherwise.
        for start in stride(from: 0, to: rows.count, by: 5000) {
            let writes = rows[start..<min(start + 5000, rows.count)].map { row in
                BSONWrite.replaceOne(filter: ["_id": .string(view + "/" + row.key)],
                                     replacement: ["digest": .string(row.digest), "key": .string(row.key), "view": .string(view)],
                                     upsert: true)
            }
            try Self.check(try await database.bulkWrite(Self.rows, writes))
        }
    }

    public func recordTable(view: String, table: String, digest: String, rows: Int) async throws {
        var update = BSONUpdate()
        update.set("sha256", .string(digest))
        update.set("table", .string(table))
        update.set("rows", .int(rows))
        update.set("uploaded_at", .date(Date()))
        try Self.check(try await database.bulkWrite(Self.tables, [.updateOne(filter: ["_id": .string(view)], update: update.document, upsert: true)]))
    }

    private static func check(_ result: BulkWriteResult) throws {
        if let failure = result.failures.first { throw StoreError.invalidDocument("zoho ledger: \(failure.errmsg)") }
    }
}
