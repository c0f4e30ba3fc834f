/// Paces posts to one hook: `burst` at once after a quiet spell, then `rate` per second. A 429
/// pauses it for the server's Retry-After.
public struct TokenBucket: Sendable {
    public typealias Instant = ContinuousClock.Instant

    public let rate: Double
    public let capacity: Double
    private var tokens: Double
    private var updated: Instant
    private var pausedUntil: Instant?

    public init(rate: Double, burst: Int, now: Instant) {
        precondition(rate > 0 && burst >= 1, "a bucket needs a positive rate and burst")
        self.rate = rate
        capacity = Double(burst)
        tokens = capacity
        updated = now
    }

    /// Takes a token if one is there now.
    public mutating func take(now: Instant) -> Bool {
        refill(now)
        guard nextToken(now: now) <= now else { return false }
        tokens -= 1
        return true
    }

    /// When `take` will next succeed.
    public func nextToken(now: Instant) -> Instant {
        let available = min(capacity, tokens + rate * Self.seconds(now - updated))
        // The tolerance keeps rounding from answering "a nanosecond later" forever.
        let filled = available >= 1 - 1e-9 ? now : now + .seconds((1 - available) / rate)
        guard let pausedUntil, pausedUntil > filled else { return filled }
        return pausedUntil
    }

    /// Nothing goes before `until`, and the burst is spent: after a 429 the server sets the pace.
    public mutating func pause(until: Instant) {
        pausedUntil = max(pausedUntil ?? until, until)
        tokens = min(tokens, 0)
    }

    private mutating func refill(_ now: Instant) {
        guard now > updated else { return }
        tokens = min(capacity, tokens + rate * Self.seconds(now - updated))
        updated = now
        if let pausedUntil, pausedUntil <= now { self.pausedUntil = nil }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
