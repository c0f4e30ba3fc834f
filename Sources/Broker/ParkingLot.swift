import Foundation
import LookoutCore

/// A message a work queue dead-lettered, as the DLQ tool shows it.
public struct ParkedMessage: Sendable {
    /// The work queue it came from (and goes back to on replay).
    public let queue: String
    public let routingKey: String
    public let messageID: String?
    public let body: [UInt8]
    public let headers: [String: HeaderValue]

    /// Why RabbitMQ dead-lettered it: `rejected` (a worker found it can never succeed) or
    /// `delivery_limit` (it failed too many times), from the `x-death` header.
    public var reason: String? { death?["reason"]?.description }
    public var diedAt: String? { death?["time"]?.description }
    /// A worker's own explanation, when it recorded one.
    public var error: String? { headers[MessageHeader.error]?.description }

    private var death: HeaderValue? {
        if case .array(let deaths)? = headers["x-death"] { deaths.first } else { nil }
    }
}

/// The DLQ tool's view of the parking queues: count, peek, replay, purge. Every operation opens
/// its own connection on a thread of its own (rabbitmq-c blocks), and peeks never acknowledge,
/// so closing the connection puts what was looked at back.
public struct ParkingLot: Sendable {
    private let url: AMQPURL
    private let topology: Topology

    public init(url: AMQPURL, topology: Topology) {
        self.url = url
        self.topology = topology
    }

    /// Work queues on the broker, or only `queue` when given (it must be one of them). Blocks:
    /// call it on a thread of its own.
    public func queues(_ queue: String?) throws(BrokerError) -> [String] {
        let all = try topology.declaredWorkQueues(url: url)
        guard let queue else { return all }
        guard all.contains(queue) else {
            throw .unknownQueue("unknown queue \(queue); known: \(all.joined(separator: ", "))")
        }
        return [queue]
    }

    public func counts(queue: String? = nil) async throws -> [(queue: String, parked: UInt32)] {
        try await onThread { connection in
            let names = try queues(queue)
            return try names.map { ($0, try connection.inspect(queue: topology.layout.parkingQueue(for: $0)).messages) }
        }
    }

    /// Up to `limit` parked messages of each queue, left in place.
    public func peek(queue: String? = nil, limit: Int) async throws -> [ParkedMessage] {
        try await onThread { connection in
            let names = try queues(queue)
            var result: [ParkedMessage] = []
            for name in names {
                let parkingQueue = topology.layout.parkingQueue(for: name)
                let before = try connection.inspect(queue: parkingQueue).messages
                var tags: [UInt64] = []
                for _ in 0..<limit {
                    guard let message = try connection.get(queue: parkingQueue) else { break }
                    result.append(Self.parked(message, from: name))
                    tags.append(message.deliveryTag)
                }
                // Put them back and wait until the queue shows them again (a quorum queue takes the
                // return asynchronously), so a `replay` right after a `show` finds them.
                for tag in tags { try connection.reject(tag, requeue: true) }
                try Self.waitUntil(deadline: .now + .seconds(5)) { try connection.inspect(queue: parkingQueue).messages >= before }
            }
            return result
        }
    }

    /// Sends parked messages back to the work queue they came from (not to the exchange, so other
    /// queues do not get them twice), each acknowledged only after the broker confirmed its copy.
    /// With `messageID`, only that message. Returns how many were replayed.
    public func replay(queue: String? = nil, messageID: String? = nil, limit: Int = .max) async throws -> Int {
        try await onThread { connection in
            let names = try queues(queue)
            try connection.enablePublisherConfirms()
            let defaultExchange = AMQPBytes("")
            var replayed = 0
            for name in names {
                let parkingQueue = topology.layout.parkingQueue(for: name)
                let waiting = try connection.inspect(queue: parkingQueue).messages
                for _ in 0..<waiting where replayed < limit {
                    guard let message = try connection.get(queue: parkingQueue) else { break }
                    if let messageID, message.messageID != messageID { continue }
                    var fields: [(String, AMQPTable.Value)] = [("lookout-replayed-from", .string(parkingQueue))]
                    for (key, value) in message.headers where !key.hasPrefix("x-") {
                        if case .string(let text) = value { fields.append((key, .string(text))) }
                        if case .integer(let number) = value { fields.append((key, .int(number))) }
                    }
                    try connection.publish(exchange: defaultExchange, routingKey: name, body: message.body,
                                           messageID: message.messageID ?? "", timestamp: Date(),
                                           headers: AMQPTable(fields), mandatory: true)
                    try connection.awaitConfirm()
                    try connection.ack(message.deliveryTag, multiple: false)
                    replayed += 1
                }
            }
            return replayed
        }
    }

    public func purge(queue: String? = nil) async throws -> [(queue: String, purged: UInt32)] {
        try await onThread { connection in
            let names = try queues(queue)
            return try names.map { ($0, try connection.purge(queue: topology.layout.parkingQueue(for: $0))) }
        }
    }

    private static func waitUntil(deadline: ContinuousClock.Instant, _ condition: () throws -> Bool) rethrows {
        while try !condition(), ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    private static func parked(_ message: FetchedMessage, from queue: String) -> ParkedMessage {
        // A copy a worker parked itself carries its event's routing key in a header.
        ParkedMessage(queue: queue, routingKey: message.headers[MessageHeader.routingKey]?.string ?? message.routingKey,
                      messageID: message.messageID, body: message.body,
                      headers: message.headers)
    }

    private func onThread<T: Sendable>(_ body: @escaping @Sendable (AMQPConnection) throws -> T) async throws -> T {
        let url = url
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try body(try AMQPConnection(url: url)) })
            }.start()
        }
    }
}
