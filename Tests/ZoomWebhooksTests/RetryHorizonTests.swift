import Foundation
import Testing
@testable import ZoomWebhooks

/// The retry horizon: a validly signed delivery older than the 5-minute window (a Zoom retry that
/// kept its first timestamp) is late, not refused, until the horizon; the future keeps the window.
@Suite struct RetryHorizonTests {
    static let now = Date(timeIntervalSince1970: 1_763_798_400)
    static let nowSeconds = 1_763_798_400
    let verifier = WebhookVerifier(secretTokens: ["test-secret"], horizon: .seconds(7200))

    func ago(_ seconds: Int) -> String { String(Self.nowSeconds - seconds) }

    @Test(arguments: [0, 1, 299, 300])
    func withinTheWindowIsFresh(secondsAgo: Int) throws {
        #expect(try verifier.checkTimestampAge(ago(secondsAgo), now: Self.now).age == .fresh)
        #expect(try verifier.checkTimestampAge(ago(-secondsAgo), now: Self.now).age == .fresh)
    }

    /// Zoom retries after about 5, 25 and 85 minutes.
    @Test(arguments: [301, 5 * 60 + 3, 25 * 60, 30 * 60, 85 * 60, 7200])
    func betweenWindowAndHorizonIsLate(secondsAgo: Int) throws {
        let checked = try verifier.checkTimestampAge(ago(secondsAgo), now: Self.now)
        #expect(checked.age == .late(seconds: Int64(secondsAgo)))
        #expect(checked.timestamp == ago(secondsAgo))
        #expect(try verifier.checkTimestamp(ago(secondsAgo), now: Self.now) == ago(secondsAgo))
    }

    @Test func beyondTheHorizonIsRefusedWithTheHorizonInTheReason() {
        #expect(throws: WebhookRejection.beyondRetryHorizon(seconds: 7200)) {
            try verifier.checkTimestamp(ago(7201), now: Self.now)
        }
        let rejection = WebhookRejection.beyondRetryHorizon(seconds: 7200)
        #expect(rejection.status == 401)
        #expect(rejection.code == "stale_timestamp")
        #expect(rejection.reason.contains("7200 s") && rejection.reason.contains("retry horizon"))
        #expect(throws: WebhookRejection.beyondRetryHorizon(seconds: 7200)) {
            try verifier.checkTimestamp("-1", now: Self.now)
        }
    }

    @Test(arguments: [301, 1800, 7200, 86_400])
    func theFutureKeepsTheWindow(secondsAhead: Int) {
        #expect(throws: WebhookRejection.futureTimestamp) { try verifier.checkTimestamp(ago(-secondsAhead), now: Self.now) }
    }

    @Test func aLateDeliveryStillNeedsItsSignature() throws {
        let body = Array(#"{"event":"meeting.participant_left","payload":{}}"#.utf8)
        let signer = WebhookSigner(secretToken: "test-secret")
        let signedThen = ago(1800)
        #expect(throws: Never.self) {
            try verifier.verify(signature: signer.signature(timestamp: signedThen, body: body), timestamp: signedThen, body: body, now: Self.now)
        }
        // The signature covers the timestamp: an old signature with a refreshed timestamp fails,
        // and so does a fresh-looking timestamp moved back into the horizon.
        #expect(throws: WebhookRejection.badSignature) {
            try verifier.verify(signature: signer.signature(timestamp: signedThen, body: body), timestamp: ago(0), body: body, now: Self.now)
        }
        #expect(throws: WebhookRejection.badSignature) {
            try verifier.verify(signature: signer.signature(timestamp: ago(0), body: body), timestamp: signedThen, body: body, now: Self.now)
        }
        #expect(throws: WebhookRejection.badSignature) {
            try verifier.verify(signature: WebhookSigner(secretToken: "other").signature(timestamp: signedThen, body: body),
                                timestamp: signedThen, body: body, now: Self.now)
        }
    }

    /// No horizon, zero, or one not longer than the window: the window alone, as before.
    @Test(arguments: [nil, Duration.zero, .seconds(300), .seconds(120)] as [Duration?])
    func aHorizonNotLongerThanTheWindowIsStrict(horizon: Duration?) {
        let strict = WebhookVerifier(secretTokens: ["test-secret"], horizon: horizon)
        #expect(!strict.acceptsLateDeliveries)
        #expect(throws: WebhookRejection.staleTimestamp) { try strict.checkTimestamp(ago(301), now: Self.now) }
        #expect(throws: WebhookRejection.staleTimestamp) { try strict.checkTimestamp(ago(1800), now: Self.now) }
        #expect(throws: Never.self) { try strict.checkTimestamp(ago(300), now: Self.now) }
        #expect(verifier.acceptsLateDeliveries)
    }
}
