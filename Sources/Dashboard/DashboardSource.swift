import ProjectionWorker
import Projections

/// What the dashboard reads: the projections, and a marker that changes whenever they do.
public protocol DashboardSource: Sendable {
    func snapshot() async throws -> ProjectionSnapshot
    /// Differs after every projection batch; cheap enough to poll every second.
    func version() async throws -> Int64
}

/// The projections in MongoDB, as the projection worker keeps them.
public struct MongoDashboardSource: DashboardSource {
    private let store: MongoProjectionStore

    public init(store: MongoProjectionStore) {
        self.store = store
    }

    public func snapshot() async throws -> ProjectionSnapshot { try await store.snapshot() }
    public func version() async throws -> Int64 { try await store.changeVersion() }
}
