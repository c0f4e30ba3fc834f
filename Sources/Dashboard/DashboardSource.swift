#if canImport(Glibc)
import Glibc
#endif
import Exports
import Projections

/// What the dashboard reads: the projections, and a marker that changes whenever they do.
public protocol DashboardSource: Sendable {
    func snapshot() async throws -> ProjectionSnapshot
    /// Differs after every projection batch; cheap enough to poll every second.
    func version() async throws -> Int64
    /// One meeting instance's joins and leaves (`InstanceTimeline` entries), for its page.
    func timeline(instance: String) async throws -> [String]?
}

extension DashboardSource {
    public func timeline(instance: String) async throws -> [String]? { nil }
}

/// The projections as the projection worker keeps them, mirrored in memory: each snapshot reads
/// only the documents changed since the previous one (`ProjectionMirror`).
public struct MirroredDashboardSource: DashboardSource {
    private let store: any ProjectionReader
    private let mirror: ProjectionMirror

    public init(store: any ProjectionReader, overlap: Duration = .seconds(10), fullReadInterval: Duration = .seconds(600)) {
        self.store = store
        mirror = ProjectionMirror(store: store, overlap: overlap, fullReadInterval: fullReadInterval)
    }

    public func snapshot() async throws -> ProjectionSnapshot {
        let refresh = try await mirror.refresh()
        refresh.count(reader: "web")
        // A full read decodes every projection from JSON text (a term: ~100 MB of it); glibc keeps
        // that heap unless asked: give it back, so the process's size is what it holds.
        if refresh.full { Self.trim?(0) }
        return refresh.snapshot
    }

    public func version() async throws -> Int64 { try await store.changeVersion() }

    public func timeline(instance: String) async throws -> [String]? { try await store.timeline(instance: instance) }

    /// glibc's `malloc_trim`, which Swift's Glibc module does not declare (nil elsewhere).
    private static let trim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim").map { unsafeBitCast($0, to: (@convention(c) (Int) -> Int32).self) }
        #else
        nil
        #endif
    }()
}
