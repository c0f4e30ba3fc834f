import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import LookoutCore
import LookoutTestSupport
import NIOCore
import Spool
import Synchronization
import Testing
import ZoomWebhooks
@testable import Receiver

/// Zoom retries a failed delivery after about 5, 25 and 85 minutes, and may keep the first
/// attempt's timestamp (not documented). Such a retry, validly signed, is accepted up to the retry
/// horizon; a late body already accepted here is answered `duplicate` and not published again.
@Suite struct RetryHorizonRouteTests {
    static let secret = "horizon-secret"
    static let nowSeconds = 1_763_798_400
    static let now = Date(timeIntervalSince1970: TimeInterval(nowSeconds))
    static let body = #"{"event":"meeting.participant_left","event_ts":1763796600123,"payload":{"account_id":"A","object":{"id":"1","participant":{"user_name":"Jill","leave_time":"2025-11-22T07:30:00Z"}}}}"#

    func app(_ publisher: some EventPublisher, horizon: Duration? = nil, maxBody: Int = 1 << 20,
             capacity: Int? = nil, spool: EventSpool? = nil) -> some ApplicationProtocol {
        var settings = ReceiverSettings(secretTokens: [Self.secret])
        if let horizon { settings.retryHorizon = horizon }
        if let capacity { settings.recentlyAcceptedCapacity = capacity }
        settings.maxBodyBytes = maxBody
        return makeReceiverApplication(settings: settings, publisher: publisher, spool: spool, logger: Logger(label: "route-test"),
                                        now: { Self.now })
    }

    /// Headers of a delivery Zoom signed `secondsAgo` before `now` (negative: ahead).
    func signed(_ body: String, secondsAgo: Int) -> HTTPFields {
        let timestamp = String(Self.nowSeconds - secondsAgo)
        return [.contentType: "application/json",
                HTTPField.Name("x-zm-request-timestamp")!: timestamp,
                HTTPField.Name("x-zm-signature")!: WebhookSigner(secretToken: Self.secret).signature(timestamp: timestamp, body: Array(body.utf8))]
    }

    func post(_ client: some TestClientProtocol, _ body: String, headers: HTTPFields) async throws -> (HTTPResponse.Status, [String: String]) {
        try await client.execute(uri: "/zoom/webhook", method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
            let json = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
            return (response.status, json.compactMapValues { $0 as? String })
        }
    }

    @Test func aRetrySigned30MinutesAgoIsAcceptedAndPublished() async throws {
        let publisher = RecordingPublisher()
        try await app(publisher).test(.live) { client in
            let (status, json) = try await post(client, Self.body, headers: signed(Self.body, secondsAgo: 30 * 60))
            #expect(status == .ok)
            #expect(json["status"] == "accepted")
            #expect(json["message_id"] == IdempotencyKey.of(Array(Self.body.utf8)))
        }
        let published = publisher.published
        #expect(published.map(\.body) == [Array(Self.body.utf8)])
        #expect(published.first?.receivedAt == Self.now)
    }

    /// Zoom's three retries of one delivery that kept failing on our side (5xx), each with the
    /// first timestamp: every one is accepted while nothing was accepted yet.
    @Test(arguments: [5 * 60 + 2, 25 * 60 + 5, 85 * 60 + 9, 7200])
    func everyZoomRetryIsWithinTheDefaultHorizon(secondsAgo: Int) async throws {
        let publisher = RecordingPublisher()
        try await app(publisher).test(.live) { client in
            let (status, json) = try await post(client, Self.body, headers: signed(Self.body, secondsAgo: secondsAgo))
            #expect(status == .ok)
            #expect(json["status"] == "accepted")
        }
        #expect(publisher.count == 1)
    }

    @Test func olderThanTheHorizonIs401WithAReason() async throws {
        let publisher = RecordingPublisher()
        try await app(publisher).test(.live) { client in
            let (status, json) = try await post(client, Self.body, headers: signed(Self.body, secondsAgo: 7201))
            #expect(status == .unauthorized)
            #expect(json["status"] == "rejected")
            #expect(json["code"] == "stale_timestamp")
            #expect(json["reason"] == "x-zm-request-timestamp is more than 7200 s in the past, beyond the retry horizon")
        }
        #expect(publisher.count == 0)
    }

    /// The horizon is checked on the headers, before the body is read: an oversized body with a
    /// timestamp beyond it is refused for the timestamp; within it, the request goes on to the body.
    @Test func beyondTheHorizonIsRefusedBeforeTheBody() async throws {
        let publisher = RecordingPublisher()
        let big = #"{"event":"meeting.started","padding":""# + String(repeating: "x", count: 4096) + #""}"#
        // One connection each: a request refused from its head is answered and its connection
        // closed (the body is not read), as `lookout receive` does.
        try await app(publisher, maxBody: 2048).test(.live) { client in
            let (beyond, refusal) = try await post(client, big, headers: signed(big, secondsAgo: 3 * 3600))
            #expect(beyond == .unauthorized)
            #expect(refusal["code"] == "stale_timestamp")
        }
        try await app(publisher, maxBody: 2048).test(.live) { client in
            let (late, tooBig) = try await post(client, big, headers: signed(big, secondsAgo: 30 * 60))
            #expect(late == .contentTooLarge)
            #expect(tooBig["code"] == "body_too_large")
        }
        #expect(publisher.count == 0)
    }

    @Test(arguments: [301, 30 * 60, 3 * 3600])
    func aTimestampAheadByMoreThanTheWindowIsRefused(secondsAhead: Int) async throws {
        let publisher = RecordingPublisher()
        try await app(publisher).test(.live) { client in
            let (status, json) = try await post(client, Self.body, headers: signed(Self.body, secondsAgo: -secondsAhead))
            #expect(status == .unauthorized)
            #expect(json["code"] == "future_timestamp")
        }
        #expect(publisher.count == 0)
    }

    /// An old signature cannot be given a new timestamp: the signature covers it.
    @Test func aLateDeliveryWithoutItsOwnSignatureIsRefused() async throws {
        let publisher = RecordingPublisher()
        var moved = signed(Self.body, secondsAgo: 30 * 60)
        moved[HTTPField.Name("x-zm-request-timestamp")!] = String(Self.nowSeconds - 20 * 60)
        let headers = moved
        try await app(publisher).test(.live) { client in
            let (status, json) = try await post(client, Self.body, headers: headers)
            #expect(status == .unauthorized)
            #expect(json["code"] == "bad_signature")
        }
        #expect(publisher.count == 0)
    }

    @Test func theSameLateBodyTwiceIsPublishedOnceAndTheSecondIsADuplicate() async throws {
        let publisher = RecordingPublisher()
        let id = IdempotencyKey.of(Array(Self.body.utf8))
        try await app(publisher).test(.live) { client in
            let (first, accepted) = try await post(client, Self.body, headers: signed(Self.body, secondsAgo: 25 * 60))
            #expect(first == .ok)
            #expect(accepted["status"] == "accepted")
            // Zoom's next retry of the same delivery: same body, same first timestamp.
            let (second, duplicate) = try await post(client, Self.body, headers: signed(Self.body, secondsAgo: 25 * 60))
            #expect(second == .ok)
            #expect(duplicate["status"] == "duplicate")
            #expect(duplicate["message_id"] == id)
        }
        #expect(publisher.count == 1)
    }

    /// The answer to a fresh delivery was lost (Zoom saw no 2xx in 3 s): its late retry finds
    /// the body accepted and is not published again.
    @Test func aLateRetryOfABodyAcceptedFreshIsADuplicate() async throws {
        let publisher = RecordingPublisher()
        try await app(publisher).test(.live) { client in
            let (_, fresh) = try await post(client, Self.body, headers: signed(Self.body, secondsAgo: 0))
            #expect(fresh["status"] == "accepted")
            let (_, retry) = try await post(client, Self.body, headers: signed(Self.body, secondsAgo: 5 * 60 + 3))
            #expect(retry["status"] == "duplicate")
        }
        #expect(publisher.count == 1)
    }

    /// A body the spool holds (broker down) counts as accepted too.
    @Test func aLateRetryOfASpooledBodyIsADuplicate() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-horizon-spool-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let spool = try EventSpool(directory: directory, maxBytes: 1 << 20)
        try await app(RecordingPublisher(failing: .notConnected), spool: spool).test(.live) { client in
            let (first, spooled) = try await post(client, Self.body, headers: signed(Self.body, secondsAgo: 30 * 60))
            #expect(first == .ok)
            #expect(spooled["status"] == "accepted")
            let (_, again) = try await post(client, Self.body, headers: signed(Self.body, secondsAgo: 30 * 60))
            #expect(again["status"] == "duplicate")
        }
        #expect(await spool.oldest(10).count == 1)
    }

    /// A body the broker did not take (503, no spool) is not remembered: its next retry is
    /// published, not answered `duplicate`.
    @Test func aRefusedBodyIsNotRememberedAndItsRetryIsPublished() async throws {
        let publisher = RecordingPublisher(failingFirst: 1)
        try await app(publisher).test(.live) { client in
            let (refused, _) = try await post(client, Self.body, headers: signed(Self.body, secondsAgo: 5 * 60 + 2))
            #expect(refused == .serviceUnavailable)
            let (status, json) = try await post(client, Self.body, headers: signed(Self.body, secondsAgo: 5 * 60 + 2))
            #expect(status == .ok)
            #expect(json["status"] == "accepted")
        }
        #expect(publisher.count == 1)
    }

    /// Fresh deliveries are not looked up: the same fresh body twice is published twice, as before.
    @Test func aFreshDeliveryIsUnaffected() async throws {
        let publisher = RecordingPublisher()
        try await app(publisher).test(.live) { client in
            for _ in 0..<2 {
                let (status, json) = try await post(client, Self.body, headers: signed(Self.body, secondsAgo: 10))
                #expect(status == .ok)
                #expect(json["status"] == "accepted")
            }
        }
        #expect(publisher.count == 2)
    }

    /// Past the cap the oldest ids are forgotten: a late replay of one is published again (safe:
    /// downstream dedups), never refused.
    @Test func aForgottenBodyIsPublishedAgain() async throws {
        let publisher = RecordingPublisher()
        let bodies = (0..<3).map { #"{"event":"meeting.started","payload":{"object":{"id":"\#($0)"}}}"# }
        try await app(publisher, capacity: 2).test(.live) { client in
            for body in bodies {
                let (_, answer) = try await post(client, body, headers: signed(body, secondsAgo: 0))
                #expect(answer["status"] == "accepted")
            }
            let forgotten = try await post(client, bodies[0], headers: signed(bodies[0], secondsAgo: 600))
            #expect(forgotten.1["status"] == "accepted")
            let remembered = try await post(client, bodies[2], headers: signed(bodies[2], secondsAgo: 600))
            #expect(remembered.1["status"] == "duplicate")
        }
        #expect(publisher.count == 4)
    }

    /// A horizon of 0 or equal to the window is the 5-minute window alone, as before.
    @Test(arguments: [Duration.zero, .seconds(300)])
    func aStrictReceiverRefusesLateDeliveries(horizon: Duration) async throws {
        let publisher = RecordingPublisher()
        try await app(publisher, horizon: horizon).test(.live) { client in
            let (status, json) = try await post(client, Self.body, headers: signed(Self.body, secondsAgo: 30 * 60))
            #expect(status == .unauthorized)
            #expect(json["code"] == "stale_timestamp")
            #expect(json["reason"] == "x-zm-request-timestamp is more than 5 minutes in the past")
            let (_, atTheEdge) = try await post(client, Self.body, headers: signed(Self.body, secondsAgo: 300))
            #expect(atTheEdge["status"] == "accepted")
        }
        #expect(publisher.count == 1)
    }
}

@Suite struct RetryHorizonSettingsTests {
    func settings(_ value: String?) throws(ConfigurationError) -> ReceiverSettings {
        var environment = ["LOOKOUT_ZOOM_SECRET_TOKEN": "s"]
        environment["LOOKOUT_RETRY_HORIZON_SECONDS"] = value
        return try ReceiverSettings(configuration: Configuration(environment: environment))
    }

    @Test func defaultsToTwoHours() throws {
        #expect(try settings(nil).retryHorizon == .seconds(7200))
        #expect(ReceiverSettings(secretTokens: ["s"]).retryHorizon == .seconds(7200))
    }

    @Test(arguments: ["0", "300", "3600", "86400"])
    func acceptsStrictOrAtLeastTheWindow(value: String) throws {
        #expect(try settings(value).retryHorizon == .seconds(Int(value)!))
    }

    @Test(arguments: ["1", "299", "86401", "-5", "2h"])
    func refusesWhatIsNeitherStrictNorALongerWindow(value: String) {
        let error = #expect(throws: ConfigurationError.self) { _ = try settings(value) }
        #expect(error?.key == "LOOKOUT_RETRY_HORIZON_SECONDS")
    }

    @Test func theKeyIsKnownToConfigCheck() {
        #expect(ConfigurationKeys.unknown("LOOKOUT_RETRY_HORIZON_SECONDS") == nil)
        #expect(ConfigurationKeys.sections.first { $0.name == "receive" }?.keys.map(\.name).contains("LOOKOUT_RETRY_HORIZON_SECONDS") == true)
        let recorder = ConfigurationRecorder()
        _ = try? ReceiverSettings(configuration: Configuration(environment: [:]).recording(into: recorder))
        #expect(recorder.recorded["LOOKOUT_RETRY_HORIZON_SECONDS"]?.defaultValue == "7200")
    }
}

@Suite struct AcceptedIDsTests {
    static func id(_ n: Int) -> AcceptedIDs.Key {
        AcceptedIDs.Key(hex: IdempotencyKey.of(Array("body \(n)".utf8)))!
    }

    @Test func keysAreTheWholeSHA256() {
        let hex = IdempotencyKey.of(Array("x".utf8))
        #expect(AcceptedIDs.Key(hex: hex) == AcceptedIDs.Key(hex: hex.uppercased()))
        // Differing only in the last digit: not the same key.
        let last = hex.last == "0" ? "1" : "0"
        #expect(AcceptedIDs.Key(hex: String(hex.dropLast()) + last) != AcceptedIDs.Key(hex: hex))
        #expect(AcceptedIDs.Key(hex: String(hex.dropLast())) == nil)
        #expect(AcceptedIDs.Key(hex: hex + "0") == nil)
        #expect(AcceptedIDs.Key(hex: String(hex.dropLast()) + "g") == nil)
        #expect(AcceptedIDs.Key(hex: "") == nil)
    }

    @Test func forgetsAnIdItsLifetimeAfterItWasAccepted() {
        var ids = AcceptedIDs(capacity: 10, lifetimeSeconds: 7200)
        func has(_ n: Int, at now: Int64) -> Bool { ids.contains(Self.id(n), now: now) }
        ids.insert(Self.id(1), now: 1000)
        ids.insert(Self.id(2), now: 2000)
        #expect(has(1, at: 8199))
        #expect(!has(1, at: 8200))
        #expect(has(2, at: 8200))
        #expect(ids.count == 1)
        #expect(!has(2, at: 9200))
        #expect(ids.count == 0)
    }

    @Test func keepsAtMostItsCapacityForgettingTheOldest() {
        var ids = AcceptedIDs(capacity: 3, lifetimeSeconds: 7200)
        func has(_ numbers: ClosedRange<Int>, at now: Int64) -> Bool { numbers.allSatisfy { ids.contains(Self.id($0), now: now) } }
        for n in 1...3 { ids.insert(Self.id(n), now: 1000) }
        ids.insert(Self.id(2), now: 1001) // already there: nothing is forgotten for it
        #expect(has(1...3, at: 1001))
        ids.insert(Self.id(4), now: 1002)
        #expect(!has(1...1, at: 1002))
        #expect(has(2...4, at: 1002))
        for n in 5...1000 { ids.insert(Self.id(n), now: 1003) }
        #expect(ids.count == 3)
        #expect(has(998...1000, at: 1003))
        #expect(!has(997...997, at: 1003))
    }

    @Test func theLockedWrapperReadsMessageIDs() {
        let memory = RecentlyAccepted(capacity: 5, lifetime: .seconds(60))
        let id = IdempotencyKey.of(Array("y".utf8))
        let then = Date(timeIntervalSince1970: 1_763_798_400)
        #expect(!memory.contains(id, now: then))
        memory.insert(id, now: then)
        #expect(memory.contains(id, now: then.addingTimeInterval(59)))
        #expect(!memory.contains(id, now: then.addingTimeInterval(60)))
        memory.insert("not a message id", now: then)
        #expect(memory.count == 0)
    }
}
