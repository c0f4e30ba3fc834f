import Foundation

/// One message handed to a worker by the broker.
public struct Delivery: Sendable {
    /// Identifies the delivery on its channel; only meaningful for the connection it came from.
    public let tag: DeliveryTag
    public let routingKey: String
    public let body: [UInt8]
    public let messageID: String?
    public let timestamp: Date?
    public let source: EventSource?
    public let redelivered: Bool
    /// The message's string and integer headers (Lookout's own, and any a forwarder added).
    public let headers: [String: HeaderValue]

    public init(tag: DeliveryTag, routingKey: String, body: [UInt8], messageID: String?,
                timestamp: Date?, source: EventSource?, redelivered: Bool, headers: [String: HeaderValue] = [:]) {
        self.tag = tag
        self.routingKey = routingKey
        self.body = body
        self.messageID = messageID
        self.timestamp = timestamp
        self.source = source
        self.redelivered = redelivered
        self.headers = headers
    }

    /// How many times this message already went through a delay queue (0 when first published).
    public var attempt: Int { headers[MessageHeader.attempt]?.integer.map { Int(clamping: $0) } ?? 0 }
}

/// A message header value: Lookout's own (strings, integers) and what RabbitMQ sets (`x-death`
/// is an array of tables).
public indirect enum HeaderValue: Sendable, Equatable, CustomStringConvertible {
    case string(String)
    case integer(Int64)
    case bool(Bool)
    case timestamp(Date)
    case array([HeaderValue])
    case table([String: HeaderValue])
    case other

    public var string: String? { if case .string(let text) = self { text } else { nil } }
    public var integer: Int64? { if case .integer(let number) = self { number } else { nil } }

    public var description: String {
        switch self {
        case .string(let text): text
        case .integer(let number): String(number)
        case .bool(let flag): String(flag)
        case .timestamp(let date): date.formatted(Date.ISO8601FormatStyle())
        case .array(let values): "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .table(let fields): "{" + fields.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        case .other: "?"
        }
    }

    public subscript(key: String) -> HeaderValue? {
        if case .table(let fields) = self { fields[key] } else { nil }
    }
}

public struct DeliveryTag: Sendable, Hashable, Comparable {
    /// Counts broker connections, so a settlement meant for a dead connection is recognised and dropped.
    public let connection: UInt64
    public let value: UInt64

    public init(connection: UInt64, value: UInt64) {
        self.connection = connection
        self.value = value
    }

    public static func < (a: DeliveryTag, b: DeliveryTag) -> Bool {
        (a.connection, a.value) < (b.connection, b.value)
    }
}

/// What a worker decided about a delivery.
public enum Settlement: Sendable, Equatable {
    /// Done: remove it from the queue.
    case ack
    /// Can never succeed: send it to the queue's dead-letter exchange.
    case deadLetter(reason: String)
    /// Not done: give it back to the queue for another attempt.
    case requeue
}

/// The broker side of a worker: batches of deliveries in, settlements out.
public protocol DeliverySource: Sendable {
    /// Waits for deliveries and returns every one available now, up to `max`.
    /// Returns an empty array once the source is closed or the task is cancelled.
    func nextBatch(max: Int) async -> [Delivery]
    func settle(_ settlements: [(DeliveryTag, Settlement)])
}
