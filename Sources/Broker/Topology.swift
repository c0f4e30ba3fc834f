import LookoutCore

/// Declares Lookout's exchanges and queues. Idempotent: every process runs it after connecting, so
/// nothing depends on start order, and `lookout topology` runs it on its own.
public struct Topology: Sendable {
    public let layout: QueueLayout
    /// Deliveries after which a message that keeps failing (a crash loop) is dead-lettered.
    public let deliveryLimit: Int

    public init(layout: QueueLayout, deliveryLimit: Int = 20) {
        self.layout = layout
        self.deliveryLimit = deliveryLimit
    }

    func declare(on connection: AMQPConnection) throws(BrokerError) {
        try connection.declareExchange(layout.eventsExchange, type: "topic")
        try connection.declareExchange(layout.deadLetterExchange, type: "direct")
        for (queue, bindings) in layout.workQueues {
            let parked = layout.parkingQueue(for: queue)
            try connection.declareQueue(parked, arguments: AMQPTable([("x-queue-type", .string("quorum"))]))
            try connection.bindQueue(parked, exchange: layout.deadLetterExchange, routingKey: queue)
            try connection.declareQueue(queue, arguments: AMQPTable([
                ("x-queue-type", .string("quorum")),
                ("x-delivery-limit", .int(Int64(deliveryLimit))),
                ("x-dead-letter-exchange", .string(layout.deadLetterExchange)),
                ("x-dead-letter-routing-key", .string(queue)),
            ]))
            for key in bindings {
                try connection.bindQueue(queue, exchange: layout.eventsExchange, routingKey: key)
            }
        }
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

    /// Each work queue's ready messages and consumers, and what its parking queue holds.
    public func status(url: AMQPURL) throws(BrokerError) -> [QueueStatus] {
        try status(endpoints: AMQPEndpoints(url))
    }

    /// The same from the first endpoint that answers.
    public func status(endpoints: AMQPEndpoints) throws(BrokerError) -> [QueueStatus] {
        var rotation = EndpointRotation(endpoints)
        let connection = try rotation.connect { url throws(BrokerError) in try AMQPConnection(url: url) }.connection
        var result: [QueueStatus] = []
        for (queue, _) in layout.workQueues {
            let work = try connection.inspect(queue: queue)
            let parked = try connection.inspect(queue: layout.parkingQueue(for: queue))
            result.append(QueueStatus(queue: queue, messages: work.messages, consumers: work.consumers, parked: parked.messages))
        }
        return result
    }

    /// Ready-message count of each work queue and its parking queue.
    public func depths(url: AMQPURL) throws(BrokerError) -> [(queue: String, messages: UInt32)] {
        try status(url: url).flatMap { [($0.queue, $0.messages), (layout.parkingQueue(for: $0.queue), $0.parked)] }
    }
}
