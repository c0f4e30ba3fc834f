/// The one rate limit Lookout uses: a token bucket as a virtual schedule (GCRA). Slots are
/// `1/rate` apart, and up to `burst` may be used at once after a quiet spell. Pure: the caller
/// supplies the time. Callers that wait take a slot ahead with `reserve`; callers that must not
/// wait (a post stays queued instead) ask `nextToken` and `take`.
public struct TokenBucket: Sendable {
    public typealias Instant = ContinuousClock.Instant

    public let interval: Duration
    public let tolerance: Duration
    /// The theoretical arrival time of the next request; nil until the first.
    private var nextSlot: Instant?

    /// - Parameters: rate: requests per second (> 0); burst: requests allowed back to back (>= 1).
    public init(rate: Double, burst: Int = 1) {
        precondition(rate > 0, "a rate limit needs a positive rate")
        interval = .nanoseconds(Int64((1e9 / rate).rounded()))
        tolerance = interval * (max(burst, 1) - 1)
    }

    /// Reserves the next slot and returns how long to wait before using it (zero: go now).
    public mutating func reserve(now: Instant) -> Duration {
        let slot = max(nextSlot ?? now, now)
        nextSlot = slot + interval
        let wait = slot - tolerance - now
        return wait > .zero ? wait : .zero
    }

    /// When a request may next go without waiting.
    public func nextToken(now: Instant) -> Instant {
        max(now, (nextSlot ?? now) - tolerance)
    }

    /// Uses a slot if one is free now.
    public mutating func take(now: Instant) -> Bool {
        guard nextToken(now: now) <= now else { return false }
        _ = reserve(now: now)
        return true
    }

    /// Nothing goes before `until`, then one request, then the rate again: after a 429 the
    /// server sets the pace, so the burst is spent.
    public mutating func pause(until: Instant) {
        nextSlot = max(nextSlot ?? until, until + tolerance)
    }
}
