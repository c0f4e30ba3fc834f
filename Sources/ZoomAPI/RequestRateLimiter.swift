/// A token bucket as a virtual schedule (GCRA): requests are spaced `1/rate` apart, with up to
/// `burst` let through at once after a quiet spell. Pure: the caller supplies the time.
public struct TokenBucket: Sendable {
    public let interval: Duration
    public let tolerance: Duration
    private var nextSlot: ContinuousClock.Instant?

    /// - Parameters: rate: requests per second (> 0); burst: requests allowed back to back (>= 1).
    public init(rate: Double, burst: Int = 1) {
        interval = .nanoseconds(Int64((1e9 / rate).rounded()))
        tolerance = interval * (max(burst, 1) - 1)
    }

    /// Reserves the next slot and returns how long to wait before using it (zero: go now).
    public mutating func reserve(now: ContinuousClock.Instant) -> Duration {
        let slot = max(nextSlot ?? now, now)
        nextSlot = slot + interval
        let wait = slot - tolerance - now
        return wait > .zero ? wait : .zero
    }
}

/// Keeps Lookout under Zoom's per-second limit of a rate class (HEAVY for the Dashboard API).
/// The slot is reserved before sleeping, so concurrent callers never take the same one.
public actor RequestRateLimiter {
    private var bucket: TokenBucket
    private let clock = ContinuousClock()

    public init(requestsPerSecond: Double, burst: Int = 1) {
        bucket = TokenBucket(rate: requestsPerSecond, burst: burst)
    }

    public func acquire() async throws {
        let wait = bucket.reserve(now: clock.now)
        if wait > .zero { try await Task.sleep(for: wait) }
    }
}
