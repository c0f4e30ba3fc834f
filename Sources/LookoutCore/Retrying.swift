import Logging
import ServiceLifecycle

extension Backoff {
    /// Repeats `operation` with this backoff until it succeeds; nil once the process is shutting
    /// down or the task is cancelled, or at once for an error `isTransient` calls permanent (the
    /// caller then hands its work back instead of finishing it).
    public func retrying<T, Failure: Error>(_ what: String, logger: Logger,
                                            isTransient: (Failure) -> Bool = { _ in true },
                                            _ operation: () async throws(Failure) -> T) async -> T? {
        var attempt = 0
        while true {
            do {
                return try await operation()
            } catch {
                guard isTransient(error) else {
                    logger.error("\(what) failed", metadata: ["error": "\(error)"])
                    return nil
                }
                if Task.isShuttingDownGracefully || Task.isCancelled { return nil }
                let wait = delay(attempt: attempt)
                logger.warning("\(what) failed, retrying", metadata: ["error": "\(error)", "retry_in": "\(wait)"])
                attempt += 1
                try? await Task.sleep(for: wait)
            }
        }
    }
}
