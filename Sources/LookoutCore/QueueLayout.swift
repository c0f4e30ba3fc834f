/// The names of Lookout's exchanges and queues, all under one namespace so several installations
/// (or test runs) can share a broker.
public struct QueueLayout: Sendable, Equatable {
    public let namespace: String

    public init(namespace: String = "lookout") {
        self.namespace = namespace
    }

    /// Topic exchange every event is published to, routing key = Zoom event name.
    public var eventsExchange: String { "\(namespace).events" }
    /// Direct exchange receiving what a work queue dead-letters, routing key = the work queue's name.
    public var deadLetterExchange: String { "\(namespace).dead" }
    /// The store worker's queue, bound to every event.
    public var storeQueue: String { "\(namespace).store" }
    /// The projection worker's queue, bound to every meeting event.
    public var projectQueue: String { "\(namespace).project" }
    /// The Mattermost notifier's queue, bound to the events it is configured to post.
    public var notifyQueue: String { "\(namespace).notify" }

    /// The parking queue holding what `queue` dead-lettered.
    public func parkingQueue(for queue: String) -> String { "\(queue).parked" }

    /// The delay queue from which a retry returns to `queue` after `delay`.
    public func delayQueue(for queue: String, delay: Duration) -> String {
        let milliseconds = delay.wholeMilliseconds
        return milliseconds % 1000 == 0 ? "\(queue).delay.\(milliseconds / 1000)s" : "\(queue).delay.\(milliseconds)ms"
    }

    /// The work queues every process declares. A worker kind that not every installation runs
    /// (the notifier) declares its own queue instead, so that no queue fills up without a consumer.
    public var workQueues: [WorkQueue] {
        [WorkQueue(name: storeQueue, bindings: ["#"]), WorkQueue(name: projectQueue, bindings: ["meeting.#"])]
    }
}

/// A quorum work queue, what it takes from the events exchange, and how its retries are delayed.
public struct WorkQueue: Sendable, Equatable {
    public let name: String
    public var bindings: [String]
    /// Binding keys to remove if present: ones an earlier configuration bound and this one does not.
    public var retiredBindings: [String]
    /// Delays of the delay queues, ascending; none for a worker that does not retry through the broker.
    public var retryDelays: [Duration]
    /// One consumer at a time, the others standing by: for a worker that keeps windows in memory.
    public var singleActiveConsumer: Bool

    public init(name: String, bindings: [String], retiredBindings: [String] = [], retryDelays: [Duration] = [],
                singleActiveConsumer: Bool = false) {
        self.name = name
        self.bindings = bindings
        self.retiredBindings = retiredBindings
        self.retryDelays = retryDelays
        self.singleActiveConsumer = singleActiveConsumer
    }

    /// The delay queue step for a wanted delay: the shortest one at least as long, else the longest.
    public func retryStep(for delay: Duration) -> Duration? {
        retryDelays.first { $0 >= delay } ?? retryDelays.last
    }
}
