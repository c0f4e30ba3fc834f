import Foundation
import LookoutCore
import LookoutTestSupport
import Testing
import ZoomWebhooks
@testable import StoreWorker

/// The store worker keeps bodies as opaque bytes: a stub event is enough.
let stub = Array(#"{"event":"meeting.started"}"#.utf8)

@Suite struct StoreBatchTests {
    let now = Date(timeIntervalSince1970: 1_763_798_400)

    @Test func keepsTheReceiversIdempotencyKeyTimeAndSource() {
        let received = Date(timeIntervalSince1970: 1_763_798_000.123)
        let events = StoreBatch.events(from: [Delivery.test(1, body: stub, messageID: "abc", timestamp: received, source: .backfill)], now: now)
        #expect(events == [StoredEvent(id: "abc", body: Array(#"{"event":"meeting.started"}"#.utf8), receivedAt: received, source: .backfill)])
    }

    @Test func hashesTheBodyWhenAMessageHasNoUsableID() {
        let body = Array(#"{"event":"meeting.ended"}"#.utf8)
        // No source: the store counts it as a webhook's.
        let events = StoreBatch.events(from: [Delivery.test(1, body: body, source: nil), Delivery.test(2, body: body, messageID: "", source: nil),
                                              Delivery.test(3, body: body, messageID: String(repeating: "x", count: 200), source: nil)], now: now)
        #expect(events.allSatisfy { $0.id == IdempotencyKey.of(body) })
        #expect(events.allSatisfy { $0.receivedAt == now && $0.source == .webhook })
    }

    @Test func storedAndDuplicateAreAckedRejectedIsDeadLettered() {
        let deliveries = [Delivery.test(1, body: stub), Delivery.test(2, body: stub), Delivery.test(3, body: stub)]
        let settlements = StoreBatch.settlements(for: deliveries, outcomes: [.stored, .duplicate, .rejected("not JSON")])
        #expect(settlements.map(\.0.value) == [1, 2, 3])
        #expect(settlements.map(\.1) == [.ack, .ack, .deadLetter(reason: "not JSON")])
    }
}
