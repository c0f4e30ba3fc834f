import Foundation

/// Exponential backoff with full jitter: the one retry policy Lookout uses.
public struct Backoff: Sendable {
    public var initial: Duration
    public var maximum: Duration
    public var multiplier: Double

    public init(initial: Duration = .milliseconds(200), maximum: Duration = .seconds(10), multiplier: Double = 2) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
    }

    /// The ceiling for attempt `n` (0-based), before jitter.
    public func ceiling(attempt: Int) -> Duration {
        let factor = pow(multiplier, Double(min(attempt, 30)))
        let scaled = initial * factor
        return scaled < maximum ? scaled : maximum
    }

    /// A random delay in `[ceiling/2, ceiling]`: spread out, never zero.
    public func delay(attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let ceiling = ceiling(attempt: attempt)
        return ceiling / 2 + ceiling / 2 * Double.random(in: 0...1, using: &generator)
    }

    /// The distinct ceilings, ascending, rounded to milliseconds: the steps of a delay-queue ladder,
    /// so that every delay this backoff draws fits the step of its attempt.
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

    public func delay(attempt: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(attempt: attempt, using: &generator)
    }
}

extension Duration {
    /// Whole milliseconds, as RabbitMQ's TTLs and Lookout's `*_MS` keys count.
    public var wholeMilliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
