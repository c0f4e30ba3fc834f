import Foundation
import LookoutCore
import ZoomWebhooks

/// Pure rules of the store worker: which deliveries become which stored events, and how each
/// outcome settles its delivery.
enum StoreBatch {
    /// Turns deliveries into events. The idempotency key is the message id the receiver set, or
    /// the hash of the body for a message published without one.
    static func events(from deliveries: [Delivery], now: Date) -> [StoredEvent] {
        deliveries.map { delivery in
            let id = delivery.messageID.flatMap { $0.isEmpty || $0.utf8.count > 128 ? nil : $0 }
            return StoredEvent(id: id ?? IdempotencyKey.of(delivery.body),
                               body: delivery.body,
                               receivedAt: delivery.timestamp ?? now,
                               source: delivery.source ?? .webhook)
        }
    }

    /// Stored and duplicate are done; a rejected event can never be stored and is dead-lettered.
    static func settlements(for deliveries: [Delivery], outcomes: [InsertOutcome]) -> [(DeliveryTag, Settlement)] {
        precondition(deliveries.count == outcomes.count, "one outcome per delivery")
        return zip(deliveries, outcomes).map { delivery, outcome in
            switch outcome {
            case .stored, .duplicate: (delivery.tag, .ack)
            case .rejected(let reason): (delivery.tag, .deadLetter(reason: reason))
            }
        }
    }
}
