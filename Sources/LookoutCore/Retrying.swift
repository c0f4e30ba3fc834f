import Logging
import ServiceLifecycle

/// How `RetryPolicy.run` ended without a result, with the last failure.
public enum RetryStop<Failure: Error>: Error {
    /// The failure advised against another attempt (`RetryAdvice.permanent`).
    case permanent(Failure)
    /// Every attempt the policy allows failed.
    case exhausted(Failure)
    /// The process began shutting down, or the task was cancelled, before it succeeded.
    case stopped(Failure)

    public var failure: Failure {
        switch self {
        case .permanent(let failure), .exhausted(let failure), .stopped(let failure): failure
        }
    }
}

extension RetryPolicy {
    /// Runs `operation` until it succeeds: after each failure, waits what `wait(after:_:)` gives
    /// for the failure's `RetryAdvice` — the drawn backoff, or the server's `Retry-After` — and
    /// stops at once for a permanent failure, after the last attempt, or when the work is stopped.
    /// - Parameter wait: how to wait, when not on `sleep` (Zoom's client pauses a whole rate class).
    public func run<T, Failure: Error>(_ what: String, logger: Logger,
                                       wait: ((Duration, Failure) async throws -> Void)? = nil,
                                       _ operation: () async throws(Failure) -> T) async throws(RetryStop<Failure>) -> T {
        var failures = 0
        while true {
            let failure: Failure
            do {
                return try await operation()
            } catch {
                failure = error
            }
            failures += 1
            let advice = RetryAdvice.of(failure)
            guard let pause = self.wait(after: failures, advice) else {
                throw advice == .permanent ? .permanent(failure) : .exhausted(failure)
            }
            if Task.isShuttingDownGracefully || Task.isCancelled { throw .stopped(failure) }
            logger.warning("\(what) failed, retrying", metadata: ["error": "\(failure)", "retry_in": "\(pause)"])
            do {
                if let wait { try await wait(pause, failure) } else { try await sleep(pause) }
            } catch {
                throw .stopped(failure)
            }
        }
    }

    /// `run` for work that is handed back when it cannot be finished: nil once the failure is
    /// permanent, every attempt failed (both logged here) or the work is stopped.
    public func retrying<T, Failure: Error>(_ what: String, logger: Logger,
                                            _ operation: () async throws(Failure) -> T) async -> T? {
        do {
            return try await run(what, logger: logger, operation)
        } catch {
            if case .stopped = error { return nil }
            logger.error("\(what) failed", metadata: ["error": "\(error.failure)"])
            return nil
        }
    }
}
