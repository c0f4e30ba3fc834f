import Foundation

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

    private let store: any ProjectionReader
    private var table = ExportTable()
    private var cursor: ChangeCursor
    private var last: Task<Refresh, any Error>?

    public init(store: any ProjectionReader, overlap: Duration = .seconds(10), fullReadInterval: Duration = .seconds(600)) {
        self.store = store
        cursor = ChangeCursor(overlapMilliseconds: overlap.wholeMilliseconds, fullReadEveryMilliseconds: fullReadInterval.wholeMilliseconds)
    }

    /// Reads what changed and returns every row; a failed read changes nothing and is retried
    /// from the same point by the next refresh.
    public func refresh() async throws -> Refresh {
        let previous = last
        let next = Task { () async throws -> Refresh in
            // Only waits its turn: the previous refresh's failure is thrown to its own caller.
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
        return Refresh(snapshot: table.snapshot, documentsRead: changed.count, full: since == nil)
    }
}

extension Duration {
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
