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
        guard nextToken(now: now) <= now else { return false }
        refill(now)
        tokens -= 1
        return true
    }

    /// When `take` will next succeed.
    public func nextToken(now: Instant) -> Instant {
        let earliest = max(now, pausedUntil ?? now)
        let available = min(capacity, tokens + rate * Self.seconds(earliest - accruingSince))
        // The tolerance keeps rounding from answering "a nanosecond later" forever.
        return available >= 1 - 1e-9 ? earliest : earliest + .seconds((1 - available) / rate)
    }

    /// Nothing goes before `until`; then one post, then the rate again: after a 429 the server
    /// sets the pace, so neither the burst nor the time paused counts.
    public mutating func pause(until: Instant) {
        pausedUntil = max(pausedUntil ?? until, until)
        tokens = min(tokens, 1)
    }

    /// Tokens accrue from the last update, or from the end of a pause.
    private var accruingSince: Instant { max(updated, pausedUntil ?? updated) }

    private mutating func refill(_ now: Instant) {
        let since = accruingSince
        if now > since { tokens = min(capacity, tokens + rate * Self.seconds(now - since)) }
        updated = max(updated, now)
        if let pausedUntil, pausedUntil <= now { self.pausedUntil = nil }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
