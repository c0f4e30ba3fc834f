import Foundation
import LookoutCore

/// An event as the store keeps it: Zoom's JSON at the top level, plus Lookout's own fields.
public struct StoredEvent: Sendable, Equatable {
    /// The idempotency key, stored as `_id`.
    public let id: String
    public let body: [UInt8]
    public let receivedAt: Date
    public let source: EventSource

    public init(id: String, body: [UInt8], receivedAt: Date, source: EventSource) {
        self.id = id
        self.body = body
        self.receivedAt = receivedAt
        self.source = source
    }
}

/// What became of one event in a batch.
public enum InsertOutcome: Sendable, Equatable {
    case stored
    /// Already stored earlier (a redelivery or a retried webhook): as good as stored.
    case duplicate
    /// Can never be stored; the reason goes with it to the dead-letter queue.
    case rejected(String)

    /// For metrics: stored, duplicate, rejected.
    public var label: String {
        switch self {
        case .stored: "stored"
        case .duplicate: "duplicate"
        case .rejected: "rejected"
        }
    }

    public var isDone: Bool {
        if case .rejected = self { false } else { true }
    }
}

/// The raw event collection.
public protocol RawEventStore: Sendable {
    /// Creates the indexes queries rely on; idempotent.
    func prepare() async throws(StoreError)
    /// Inserts a batch, one outcome per event in order. Throws `.unavailable` when nothing can be
    /// said about the batch (server down, write concern failed): the caller retries it whole.
    func insert(_ events: [StoredEvent]) async throws(StoreError) -> [InsertOutcome]
}
