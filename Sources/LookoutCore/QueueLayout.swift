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

    /// The parking queue holding what `queue` dead-lettered.
    public func parkingQueue(for queue: String) -> String { "\(queue).parked" }

    /// All work queues with the binding keys they take from the events exchange.
    public var workQueues: [(name: String, bindings: [String])] {
        [(storeQueue, ["#"]), (projectQueue, ["meeting.#"])]
    }
}
