/// What the readers of the projections (the exports, the dashboard) need of the store.
public protocol ProjectionReader: Sendable {
    /// The documents changed at or after `since` (everything when nil).
    func changes(since: BSONDate?) async throws -> ProjectionChanges
    /// The change marker's version (0 before the first change): bumped after every batch, so a
    /// reader learns of changes with one cheap read.
    func changeVersion() async throws -> Int64
    /// One meeting instance's joins and leaves (`InstanceTimeline` entries), nil when unknown.
    func timeline(instance: String) async throws -> [String]?
}

extension ProjectionReader {
    /// Everything the exports show, read in one go.
    public func snapshot() async throws -> ProjectionSnapshot {
        ExportTable(try await changes(since: nil)).snapshot
    }
}
