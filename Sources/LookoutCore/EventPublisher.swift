/// Something that takes an event and returns only once it is safely held by the broker.
public protocol EventPublisher: Sendable {
    /// Returns after the broker confirmed the message; throws `PublishFailure` otherwise.
    func publish(_ message: EventMessage) async throws(PublishFailure)
    /// Whether a broker connection is currently up (drives `/ready`).
    var isConnected: Bool { get }
    /// The same as `publish(_:)`, for a caller that is not a Swift task (the receiver's NIO channel
    /// handler): `completion` is called once, on any thread, with what the broker said. The
    /// default runs `publish(_:)` in a task; `ConfirmedPublisher` calls it from its publisher
    /// thread when the confirm arrives, so the receiver waits without a task per request.
    func publish(_ message: EventMessage, completion: @escaping @Sendable (Result<Void, PublishFailure>) -> Void)
}

extension EventPublisher {
    public func publish(_ message: EventMessage, completion: @escaping @Sendable (Result<Void, PublishFailure>) -> Void) {
        Task {
            do throws(PublishFailure) {
                try await publish(message)
                completion(.success(()))
            } catch {
                completion(.failure(error))
            }
        }
    }
}

public enum PublishFailure: Error, Equatable, Sendable {
    /// No connection to the broker right now.
    case notConnected
    /// The broker did not confirm within the allowed time.
    case confirmTimedOut
    /// The broker refused the message (basic.nack) or the connection died before it confirmed.
    case notConfirmed(String)
    /// The publisher is shutting down.
    case shuttingDown
}

extension PublishFailure: RetryClassified {
    /// A publisher that is shutting down takes nothing more; the broker's answers may change.
    public var retryAdvice: RetryAdvice { self == .shuttingDown ? .permanent : .retryable }
}
