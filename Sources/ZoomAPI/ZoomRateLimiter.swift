import LookoutCore

/// Keeps Lookout under Zoom's limit of each rate class: one token bucket per class, so the
/// Dashboard's meeting list (10 a minute on Pro) never waits behind participant lists (10 a
/// second) or the other way round. A slot is reserved before sleeping, so concurrent callers
/// never take the same one.
public actor ZoomRateLimiter {
    private var buckets: [ZoomRateClass: TokenBucket]
    private let clock = ContinuousClock()

    public init(limits: ZoomRateLimits) {
        buckets = Dictionary(uniqueKeysWithValues: ZoomRateClass.allCases.map { rateClass in
            let rate = limits.rate(rateClass)
            let seconds = Self.seconds(limits.duration(rate.window))
            return (rateClass, TokenBucket(rate: Double(max(rate.requests, 1)) / seconds))
        })
    }

    public func acquire(_ rateClass: ZoomRateClass) async throws {
        let wait = buckets[rateClass, default: TokenBucket(rate: 1)].reserve(now: clock.now)
        if wait > .zero { try await Task.sleep(for: wait) }
    }

    /// Zoom said to wait (`Retry-After`, or a 429 without it): nothing of the class goes before then.
    public func pause(_ rateClass: ZoomRateClass, for wait: Duration) {
        buckets[rateClass, default: TokenBucket(rate: 1)].pause(until: clock.now + wait)
    }

    static func seconds(_ duration: Duration) -> Double {
        max(duration.timeInterval, 1e-6)
    }
}
