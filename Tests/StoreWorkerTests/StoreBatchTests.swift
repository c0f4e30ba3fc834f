import Foundation
import LookoutCore
import Testing
import ZoomWebhooks
@testable import StoreWorker

func delivery(_ tag: UInt64, body: String = #"{"event":"meeting.started"}"#, messageID: String? = nil,
              timestamp: Date? = nil, source: EventSource? = nil) -> Delivery {
    Delivery(tag: DeliveryTag(connection: 1, value: tag), routingKey: "meeting.started", body: Array(body.utf8),
             messageID: messageID, timestamp: timestamp, source: source, redelivered: false)
}

@Suite struct StoreBatchTests {
    let now = Date(timeIntervalSince1970: 1_763_798_400)

    @Test func keepsTheReceiversIdempotencyKeyTimeAndSource() {
        let received = Date(timeIntervalSince1970: 1_763_798_000.123)
        let events = StoreBatch.events(from: [delivery(1, messageID: "abc", timestamp: received, source: .backfill)], now: now)
        #expect(events == [StoredEvent(id: "abc", body: Array(#"{"event":"meeting.started"}"#.utf8), receivedAt: received, source: .backfill)])
    }

    @Test func hashesTheBodyWhenAMessageHasNoUsableID() {
        let body = #"{"event":"meeting.ended"}"#
        let events = StoreBatch.events(from: [delivery(1, body: body), delivery(2, body: body, messageID: ""),
                                              delivery(3, body: body, messageID: String(repeating: "x", count: 200))], now: now)
        #expect(events.allSatisfy { $0.id == IdempotencyKey.of(Array(body.utf8)) })
        #expect(events.allSatisfy { $0.receivedAt == now && $0.source == .webhook })
    }

    @Test func storedAndDuplicateAreAckedRejectedIsDeadLettered() {
        let deliveries = [delivery(1), delivery(2), delivery(3)]
        let settlements = StoreBatch.settlements(for: deliveries, outcomes: [.stored, .duplicate, .rejected("not JSON")])
        #expect(settlements.map(\.0.value) == [1, 2, 3])
        #expect(settlements.map(\.1) == [.ack, .ack, .deadLetter(reason: "not JSON")])
    }
}
