import Foundation
import Synchronization

/// What Zoho accepted, per table (view id): the digest of each row as last accepted, and the
/// digest of the whole CSV after the last complete upload. Written only after Zoho answered
/// success, so whatever was not acknowledged is sent again. (MongoDB: `MongoZohoLedger` in MongoStorage.)
public protocol ZohoUploadLedger: Sendable {
    /// SHA-256 of the whole CSV of the last upload that completed.
    func tableDigest(view: String) async throws -> String?
    /// Row key → digest of the row as Zoho accepted it.
    func acceptedRows(view: String) async throws -> [String: String]
    func recordRows(view: String, _ rows: [ZohoUploadPlan.Row]) async throws
    func recordTable(view: String, table: String, digest: String, rows: Int) async throws
}

/// The ledger in memory, for the uploader's unit tests (the MongoDB one runs in IntegrationTests).
public final class InMemoryZohoLedger: ZohoUploadLedger {
    private let state = Mutex<(tables: [String: String], rows: [String: [String: String]])>(([:], [:]))

    public init() {}

    public func tableDigest(view: String) async throws -> String? { state.withLock { $0.tables[view] } }
    public func acceptedRows(view: String) async throws -> [String: String] { state.withLock { $0.rows[view] ?? [:] } }
    public func recordRows(view: String, _ rows: [ZohoUploadPlan.Row]) async throws {
        state.withLock { state in for row in rows { state.rows[view, default: [:]][row.key] = row.digest } }
    }
    public func recordTable(view: String, table: String, digest: String, rows: Int) async throws {
        state.withLock { $0.tables[view] = digest }
    }
    /// Rows accepted, over every view.
    public var rowCount: Int { state.withLock { $0.rows.values.map(\.count).reduce(0, +) } }
}
