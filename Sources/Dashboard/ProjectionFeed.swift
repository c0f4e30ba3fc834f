import Logging
import Metrics
import Projections
import ServiceLifecycle
import Synchronization

/// Polls the change marker for every viewer at once, tells the live pages when it moves, and
/// keeps the snapshot of the latest version so N viewers refreshing cost one read.
public final class ProjectionFeed: Service, Sendable {
    public enum Update: Sendable, Equatable {
        case version(Int64)
        /// Nothing changed for a while: lets proxies and the server see the stream is still wanted.
        case keepalive
    }

    private struct State {
        var latest: Int64?
        var subscribers: [Int: AsyncStream<Update>.Continuation] = [:]
        var nextID = 0
        var cached: (version: Int64, read: Task<ProjectionSnapshot, any Error>)?
        var failing = false
    }

    private let source: any DashboardSource
    private let interval: Duration
    private let keepalive: Duration
    private let logger: Logger
    private let state = Mutex(State())

    public init(source: any DashboardSource, interval: Duration = .seconds(1), keepalive: Duration = .seconds(15),
                logger: Logger) {
        self.source = source
        self.interval = interval
        self.keepalive = keepalive
        self.logger = logger
    }

    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    private static let streams = Gauge(label: "lookout_web_streams")

    public func run() async throws {
        let clock = ContinuousClock()
        var lastSent = clock.now
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            if await poll() {
                lastSent = clock.now
            } else if clock.now - lastSent >= keepalive {
                broadcast(.keepalive)
                lastSent = clock.now
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
        }
        let subscribers = state.withLock { state in
            defer { state.subscribers.removeAll() }
            return state.subscribers.values
        }
        for subscriber in subscribers { subscriber.finish() }
        Self.streams.record(0)
    }

    /// Reads the marker once; returns whether it moved (and the viewers were told).
    @discardableResult
    func poll() async -> Bool {
        let version: Int64
        do {
            version = try await source.version()
        } catch {
            let first = state.withLock { state in
                defer { state.failing = true }
                return !state.failing
            }
            if first { logger.warning("cannot read the projections' change marker", metadata: ["error": "\(error)"]) }
            return false
        }
        let (changed, recovered) = state.withLock { state in
            defer { (state.latest, state.failing) = (version, false) }
            return (state.latest != nil && state.latest != version, state.failing)
        }
        if recovered { logger.notice("change marker readable again") }
        if changed { broadcast(.version(version)) }
        return changed
    }

    /// Updates for one viewer: the current version first, then each change.
    public func subscribe() async -> AsyncStream<Update> {
        let (stream, continuation) = AsyncStream.makeStream(of: Update.self, bufferingPolicy: .bufferingNewest(8))
        let (id, count) = state.withLock { state in
            defer { state.nextID += 1 }
            state.subscribers[state.nextID] = continuation
            return (state.nextID, state.subscribers.count)
        }
        Self.streams.record(count)
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            Self.streams.record(state.withLock { state in
                state.subscribers.removeValue(forKey: id)
                return state.subscribers.count
            })
        }
        // An unreadable marker is logged by `poll`, which keeps trying; the viewer then hears of the next change.
        if let version = try? await currentVersion() { continuation.yield(.version(version)) }
        return stream
    }

    /// The version a page rendered now shows: the last one polled, else read now.
    public func currentVersion() async throws -> Int64 {
        if let latest = state.withLock({ $0.latest }) { return latest }
        return try await source.version()
    }

    /// The snapshot at least as new as `currentVersion()`, read once per version.
    public func current() async throws -> (version: Int64, snapshot: ProjectionSnapshot) {
        let version = try await currentVersion()
        let read = state.withLock { state in
            if let cached = state.cached, cached.version == version { return cached.read }
            // The marker is bumped after the writes, so a read started now sees at least `version`.
            let read = Task { [source] in try await source.snapshot() }
            state.cached = (version, read)
            return read
        }
        do {
            return (version, try await read.value)
        } catch {
            state.withLock { state in
                if state.cached?.version == version { state.cached = nil }
            }
            throw error
        }
    }

    /// One instance's timeline, read from the source (not kept: only its page needs it).
    public func timeline(instance: String) async throws -> [String]? { try await source.timeline(instance: instance) }

    private func broadcast(_ update: Update) {
        for subscriber in state.withLock({ Array($0.subscribers.values) }) { subscriber.yield(update) }
    }
}
