import Foundation

/// The one retry policy Lookout uses: how many attempts, how the wait grows (exponentially, from
/// `initial` by `multiplier`, capped at `maximum`), how it is jittered, and that a wait the server
/// asked for (`Retry-After`) wins over the drawn one. Pure arithmetic; the drivers wait: `retrying`
/// (async, on `sleep`), the broker's reconnect loop (on its thread's wake signal) and the notifier's
/// delay queues (`steps`, through the broker).
public struct RetryPolicy: Sendable {
    public enum Jitter: Sendable, Equatable {
        /// Exactly the ceiling.
        case none
        /// Uniform in `[ceiling/2, ceiling]`: spread out, never zero.
        case half
    }

    public var initial: Duration
    public var maximum: Duration
    public var multiplier: Double
    public var jitter: Jitter
    /// Attempts in all, the first included; nil: until it succeeds or the work is stopped.
    public var attempts: Int?
    /// How `retrying` waits between attempts; tests pass one that records the wait and returns.
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(initial: Duration = .milliseconds(200), maximum: Duration = .seconds(10), multiplier: Double = 2,
                jitter: Jitter = .half, attempts: Int? = nil,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
        self.jitter = jitter
        self.attempts = attempts
        self.sleep = sleep
    }

    /// The ceiling for attempt `n` (0-based), before jitter.
    public func ceiling(attempt: Int) -> Duration {
        let factor = pow(multiplier, Double(min(max(attempt, 0), 30)))
        let scaled = initial * factor
        return scaled < maximum ? scaled : maximum
    }

    /// The drawn wait after failed attempt `attempt` (0-based).
    public func delay(attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let ceiling = ceiling(attempt: attempt)
        switch jitter {
        case .none: return ceiling
        case .half: return ceiling / 2 + ceiling / 2 * Double.random(in: 0...1, using: &generator)
        }
    }

    public func delay(attempt: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(attempt: attempt, using: &generator)
    }

    /// Whether another attempt may follow `failures` failed ones.
    public func allowsAnother(after failures: Int) -> Bool {
        attempts.map { failures < $0 } ?? true
    }

    /// The wait before the next attempt once `failures` attempts (1 or more) have failed, the last
    /// with `advice`; nil: stop (permanent, or every attempt used). A `Retry-After` replaces the
    /// drawn wait: the server knows when it will answer.
    public func wait(after failures: Int, _ advice: RetryAdvice, using generator: inout some RandomNumberGenerator) -> Duration? {
        guard allowsAnother(after: failures) else { return nil }
        switch advice {
        case .permanent: return nil
        case .retryAfter(let wait): return max(wait, .zero)
        case .retryable: return delay(attempt: failures - 1, using: &generator)
        }
    }

    public func wait(after failures: Int, _ advice: RetryAdvice) -> Duration? {
        var generator = SystemRandomNumberGenerator()
        return wait(after: failures, advice, using: &generator)
    }

    /// The distinct ceilings, ascending, rounded to milliseconds: the steps of a delay-queue ladder,
    /// so that every delay this policy draws fits the step of its attempt.
    public var steps: [Duration] {
        var steps: [Duration] = []
        for attempt in 0...30 {
            let ceiling = ceiling(attempt: attempt)
            let step = Duration.milliseconds(max(1, (ceiling + .microseconds(500)).wholeMilliseconds))
            if step != steps.last { steps.append(step) }
            if ceiling >= maximum { break }
        }
        return steps
    }
}
