import Foundation

/// Where an event entered Lookout. Carried in the `lookout-source` message header and stored.
public enum EventSource: String, Sendable, CaseIterable {
    case webhook, backfill, replay, projection
    /// Filled in from Zoom's own record of an ended meeting (docs/reconciliation.md).
    case reconcile
}

/// A verified Zoom event on its way to the broker: the raw body, byte for byte, plus the
/// properties every consumer relies on.
public struct EventMessage: Sendable, Equatable {
    /// Zoom's event name, used as the routing key (`meeting.participant_joined`, ...).
    public var routingKey: String
    /// The raw JSON Zoom sent, never re-serialised.
    public var body: [UInt8]
    /// Idempotency key: hex SHA-256 of the body.
    public var messageID: String
    public var receivedAt: Date
    public var source: EventSource
    /// Zoom's `x-zm-request-id`, kept to correlate logs; not stable across Zoom's retries.
    public var requestID: String?

    public init(routingKey: String, body: [UInt8], messageID: String, receivedAt: Date,
                source: EventSource, requestID: String? = nil) {
        self.routingKey = routingKey
        self.body = body
        self.messageID = messageID
        self.receivedAt = receivedAt
        self.source = source
        self.requestID = requestID
    }
}

/// Names of the message headers Lookout sets.
public enum MessageHeader {
    public static let source = "lookout-source"
    public static let requestID = "zoom-request-id"
    /// Receive time in Unix milliseconds; the AMQP `timestamp` property holds whole seconds only.
    public static let receivedAtMilliseconds = "lookout-received-at-ms"
    /// Set on a copy sent through a delay queue: how many attempts came before it.
    public static let attempt = "lookout-attempt"
    /// Set on a forwarded copy: the routing key it was first published with (a delay queue's
    /// dead-lettering replaces the routing key with the work queue's name).
    public static let routingKey = "lookout-routing-key"
    /// Set on a parked copy: why it was parked (`lookout dlq show` prints it).
    public static let error = "lookout-error"
}
