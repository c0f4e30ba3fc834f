/// What a failure says about another attempt: the one classification every retry loop reads
/// (`RetryPolicy.wait(after:_:)`), written once per error type by the type itself.
public enum RetryAdvice: Sendable, Equatable {
    /// Fails the same way every time: stop, report, hand the work back.
    case permanent
    /// May pass (an outage, a timeout, a busy server): again after the policy's wait.
    case retryable
    /// The server said when (`Retry-After`): again after that wait, not the policy's.
    case retryAfter(Duration)

    /// An error's own advice; one that does not classify itself is worth another attempt.
    public static func of(_ error: any Error) -> RetryAdvice {
        (error as? any RetryClassified)?.retryAdvice ?? .retryable
    }
}

/// An error that knows whether trying again can help.
public protocol RetryClassified: Error {
    var retryAdvice: RetryAdvice { get }
}
