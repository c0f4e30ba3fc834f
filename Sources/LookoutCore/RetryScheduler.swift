/// Sends a delivery on to a later attempt or to its queue's parking queue. Each call returns only
/// once the broker confirmed the copy, so the caller may then ack the original: a crash in between
/// leaves a duplicate, never a loss.
public protocol RetryScheduler: Sendable {
    /// Republishes through a delay queue; the copy returns to the work queue after about `delay`
    /// (not earlier, unless `delay` exceeds the longest delay step, which caps it), with `headers` added.
    func retry(_ delivery: Delivery, after delay: Duration, headers: [String: HeaderValue]) async throws(PublishFailure)
    /// Publishes a copy with `headers` added (the reason, an error id) to the parking queue.
    func park(_ delivery: Delivery, headers: [String: HeaderValue]) async throws(PublishFailure)
}
