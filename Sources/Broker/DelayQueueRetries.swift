import LookoutCore

/// Retries through the work queue's delay queues and parks in its parking queue, each by a
/// confirmed publish, so the caller acks the original only once the copy is safe.
public struct DelayQueueRetries: RetryScheduler {
    private let publisher: ConfirmedPublisher
    private let layout: QueueLayout
    private let queue: WorkQueue

    /// `queue` must be declared with its `retryDelays` (it is, by a topology that owns it).
    public init(publisher: ConfirmedPublisher, layout: QueueLayout, queue: WorkQueue) {
        precondition(!queue.retryDelays.isEmpty, "\(queue.name) has no delay queues")
        self.publisher = publisher
        self.layout = layout
        self.queue = queue
    }

    public func retry(_ delivery: Delivery, after delay: Duration, headers: [String: HeaderValue]) async throws(PublishFailure) {
        // The queue's TTL caps the step; a shorter per-message TTL keeps the jitter. Messages leave
        // a queue in order, so one may wait behind an older, longer one: by at most the gap to the
        // step below (half a step with a doubling backoff).
        let step = queue.retryStep(for: delay)!
        try await publisher.forward(delivery, exchange: "", routingKey: layout.delayQueue(for: queue.name, delay: step),
                                    headers: headers, expiration: min(max(delay, .milliseconds(1)), step))
    }

    public func park(_ delivery: Delivery, headers: [String: HeaderValue]) async throws(PublishFailure) {
        try await publisher.forward(delivery, exchange: layout.deadLetterExchange, routingKey: queue.name, headers: headers)
    }
}
