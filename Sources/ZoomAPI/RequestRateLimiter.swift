import LookoutCore

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
