import LookoutCore

/// Declares Lookout's exchanges and queues. Idempotent: every process runs it after connecting, so
/// nothing depends on start order, and `lookout topology` runs it on its own.
public struct Topology: Sendable {
    public let layout: QueueLayout
    /// Deliveries after which a message that keeps failing (a crash loop) is dead-lettered.
    public let deliveryLimit: Int
    /// Work queues this process declares besides the shared ones: its worker kind's own queue.
    public let ownQueues: [WorkQueue]

    public init(layout: QueueLayout, deliveryLimit: Int = 20, ownQueues: [WorkQueue] = []) {
        self.layout = layout
        self.deliveryLimit = deliveryLimit
        self.ownQueues = ownQueues
    }

    /// The same topology with `queue` declared too.
    public func owning(_ queue: WorkQueue) -> Topology {
        Topology(layout: layout, deliveryLimit: deliveryLimit, ownQueues: ownQueues + [queue])
    }

    public var workQueues: [WorkQueue] { layout.workQueues + ownQueues }

    func declare(on connection: AMQPConnection) throws(BrokerError) {
        try connection.declareExchange(layout.eventsExchange, type: "topic")
        try connection.declareExchange(layout.deadLetterExchange, type: "direct")
        for queue in workQueues {
            let parked = layout.parkingQueue(for: queue.name)
            try connection.declareQueue(parked, arguments: AMQPTable([("x-queue-type", .string("quorum"))]))
            try connection.bindQueue(parked, exchange: layout.deadLetterExchange, routingKey: queue.name)
            var arguments: [(String, AMQPTable.Value)] = [
                ("x-queue-type", .string("quorum")),
                ("x-delivery-limit", .int(Int64(deliveryLimit))),
                ("x-dead-letter-exchange", .string(layout.deadLetterExchange)),
                ("x-dead-letter-routing-key", .string(queue.name)),
            ]
            if queue.singleActiveConsumer { arguments.append(("x-single-active-consumer", .bool(true))) }
            try connection.declareQueue(queue.name, arguments: AMQPTable(arguments))
            for key in queue.bindings {
                try connection.bindQueue(queue.name, exchange: layout.eventsExchange, routingKey: key)
            }
            for key in queue.retiredBindings where !queue.bindings.contains(key) {
                try connection.unbindQueue(queue.name, exchange: layout.eventsExchange, routingKey: key)
            }
            for delay in queue.retryDelays {
                try declareDelayQueue(delay, for: queue.name, on: connection)
            }
        }
    }

    /// A delay queue holds a retry until its per-message TTL (at most `delay`) runs out, then
    /// dead-letters it straight back to the work queue through the default exchange. Quorum with
    /// at-least-once dead-lettering, so a broker crash in between cannot drop it.
    private func declareDelayQueue(_ delay: Duration, for queue: String, on connection: AMQPConnection) throws(BrokerError) {
        try connection.declareQueue(layout.delayQueue(for: queue, delay: delay), arguments: AMQPTable([
            ("x-queue-type", .string("quorum")),
            ("x-message-ttl", .int(delay.wholeMilliseconds)),
            ("x-dead-letter-exchange", .string("")),
            ("x-dead-letter-routing-key", .string(queue)),
            ("x-dead-letter-strategy", .string("at-least-once")),
            ("x-overflow", .string("reject-publish")),
        ]))
    }

    /// Connects, declares everything, and disconnects (for `lookout topology` and tests).
    public func declare(url: AMQPURL) throws(BrokerError) {
        _ = try declare(endpoints: AMQPEndpoints(url))
    }

    /// The same on the first endpoint that answers; returns that endpoint.
    @discardableResult
    public func declare(endpoints: AMQPEndpoints) throws(BrokerError) -> AMQPURL {
        var rotation = EndpointRotation(endpoints)
        return try rotation.connect { url throws(BrokerError) in
            let connection = try AMQPConnection(url: url)
            try declare(on: connection)
            return url
        }.url
    }

    public struct QueueStatus: Sendable, Equatable {
        public let queue: String
        public let messages: UInt32
        public let consumers: UInt32
        public let parked: UInt32
    }

    /// The work queues on the broker: the shared ones, this process's own, and a queue a worker
    /// kind declares for itself (the notifier's) once some process declared it.
    public func declaredWorkQueues(url: AMQPURL) throws(BrokerError) -> [String] {
        var names = workQueues.map(\.name)
        for queue in layout.selfDeclaredQueues where !names.contains(queue) {
            // A failed passive declare closes the channel: each probe has a connection of its own.
            do {
                _ = try AMQPConnection(url: url).inspect(queue: queue)
                names.append(queue)
            } catch .server(_, let message) where message.hasPrefix("404") {
                continue
            }
        }
        return names
    }

    /// Each declared work queue's ready messages and consumers, and what its parking queue holds.
    public func status(url: AMQPURL) throws(BrokerError) -> [QueueStatus] {
        try status(endpoints: AMQPEndpoints(url))
    }

    /// The same from the first endpoint that answers.
    public func status(endpoints: AMQPEndpoints) throws(BrokerError) -> [QueueStatus] {
        var rotation = EndpointRotation(endpoints)
        let (connection, url) = try rotation.connect { url throws(BrokerError) in try AMQPConnection(url: url) }
        let names = try declaredWorkQueues(url: url)
        var result: [QueueStatus] = []
        for name in names { result.append(try status(of: name, on: connection)) }
        return result
    }

    private func status(of queue: String, on connection: AMQPConnection) throws(BrokerError) -> QueueStatus {
        let work = try connection.inspect(queue: queue)
        let parked = try connection.inspect(queue: layout.parkingQueue(for: queue))
        return QueueStatus(queue: queue, messages: work.messages, consumers: work.consumers, parked: parked.messages)
    }

    /// Ready-message count of every queue this topology declares: work, parking and delay queues.
    public func depths(url: AMQPURL) throws(BrokerError) -> [(queue: String, messages: UInt32)] {
        let connection = try AMQPConnection(url: url)
        var result: [(String, UInt32)] = []
        for queue in workQueues {
            let names = [queue.name, layout.parkingQueue(for: queue.name)]
                + queue.retryDelays.map { layout.delayQueue(for: queue.name, delay: $0) }
            for name in names { result.append((name, try connection.inspect(queue: name).messages)) }
        }
        return result
    }
}
