import Metrics

extension Metrics.Timer {
    /// Records the time elapsed since `start` on the continuous clock.
    public func recordInterval(since start: ContinuousClock.Instant) {
        recordNanoseconds((ContinuousClock.now - start).wholeNanoseconds)
    }
}
