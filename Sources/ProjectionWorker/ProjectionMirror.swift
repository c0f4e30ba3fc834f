import MongoStorage
import Foundation
import Metrics
import Projections

/// The projections the exports and the dashboard show, kept in memory (`ExportTable`) and brought
/// up to date by reading only the documents changed since the previous read (`ChangeCursor`),
/// whichever replica changed them; everything is read at the first refresh and every
/// `fullReadInterval`. Refreshes run one after the other, so a later read is never overwritten by
/// an earlier one.
public actor ProjectionMirror {
    public struct Refresh: Sendable {
        public let snapshot: ProjectionSnapshot
        public let documentsRead: Int
        public let full: Bool
    }

    private let store: any ProjectionStore
    private let label: String
    private var table = ExportTable()
    private var cursor: ChangeCursor
    private var last: Task<Refresh, any Error>?

    /// `label` names the reader in `lookout_projection_documents_read_total`.
    public init(store: any ProjectionStore, overlap: Duration = .seconds(10), fullReadInterval: Duration = .seconds(600),
                label: String) {
        self.store = store
        self.label = label
        cursor = ChangeCursor(overlapMilliseconds: overlap.wholeMilliseconds, fullReadEveryMilliseconds: fullReadInterval.wholeMilliseconds)
    }

    /// Reads what changed and returns every row; a failed read changes nothing and is retried
    /// from the same point by the next refresh.
    public func refresh() async throws -> Refresh {
        let previous = last
        let next = Task { () async throws -> Refresh in
            _ = try? await previous?.value
            return try await self.readChanges()
        }
        last = next
        return try await next.value
    }

    private func readChanges() async throws -> Refresh {
        let started = BSONDate(Date())
        let since = cursor.since(now: started)
        let changed = try await store.changes(since: since)
        if since == nil { table = ExportTable(changed) } else { table.apply(changed) }
        cursor.didRead(startedAt: started, full: since == nil)
        Counter(label: "lookout_projection_documents_read_total", dimensions: [("reader", label), ("read", since == nil ? "full" : "changes")])
            .increment(by: changed.count)
        return Refresh(snapshot: table.snapshot, documentsRead: changed.count, full: since == nil)
    }
}

extension Duration {
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
