import LookoutCore
import Synchronization

/// The broker as a publisher sees it (`EventPublisher`), in memory: records every message it
/// confirms. Can be a broker that is down or refuses (`failing:` every time) or one that does
/// not confirm the first few messages, then does (`failingFirst:`).
public final class RecordingPublisher: EventPublisher {
    private let state: Mutex<(failuresLeft: Int, published: [EventMessage])>
    /// Every message fails with this (nil: none does).
    private let failure: PublishFailure?
    /// What the first `failingFirst:` messages fail with.
    private let firstFailure: PublishFailure

    /// Confirms everything, or (with `failure`) nothing: `.notConnected` also reports no connection.
    public init(failing failure: PublishFailure? = nil) {
        self.failure = failure
        firstFailure = .confirmTimedOut
        state = Mutex((0, []))
    }

    /// Fails the first `count` messages with `failure`, then confirms the rest.
    public init(failingFirst count: Int, with failure: PublishFailure = .confirmTimedOut) {
        self.failure = nil
        firstFailure = failure
        state = Mutex((count, []))
    }

    public var isConnected: Bool { failure != .notConnected }

    public func publish(_ message: EventMessage) async throws(PublishFailure) {
        if let failure { throw failure }
        let failed = state.withLock { state in
            if state.failuresLeft > 0 {
                state.failuresLeft -= 1
                return true
            }
            state.published.append(message)
            return false
        }
        if failed { throw firstFailure }
    }

    /// What the broker confirmed, in order.
    public var published: [EventMessage] { state.withLock { $0.published } }
    public var count: Int { state.withLock { $0.published.count } }
}
