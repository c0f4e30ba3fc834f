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

@Suite struct ReceiverRouteTests {
    static let secret = "route-test-secret"
    static let now = Date(timeIntervalSince1970: 1_763_798_400)
    static let body = #"{"event":"meeting.participant_joined","event_ts":1763798400123,"payload":{"account_id":"A","object":{"id":"1","participant":{"user_name":"Jill"}}}}"#

    func app(_ publisher: RecordingPublisher, maxBody: Int = 1 << 20, spool: EventSpool? = nil) -> some ApplicationProtocol {
        var settings = ReceiverSettings(secretTokens: ["other", Self.secret])
        settings.maxBodyBytes = maxBody
        return makeReceiverApplication(settings: settings, publisher: publisher, spool: spool, logger: Logger(label: "route-test"),
                                        now: { Self.now })
    }

    func signedHeaders(_ body: String, timestamp: String = "1763798400", secret: String = secret,
                       contentType: String = "application/json; charset=utf-8") -> HTTPFields {
        [.contentType: contentType,
         HTTPField.Name("x-zm-request-timestamp")!: timestamp,
         HTTPField.Name("x-zm-signature")!: WebhookSigner(secretToken: secret).signature(timestamp: timestamp, body: Array(body.utf8)),
         HTTPField.Name("x-zm-request-id")!: "req-1"]
    }

    func post(_ client: some TestClientProtocol, _ body: String, headers: HTTPFields) async throws -> (HTTPResponse.Status, [String: String]) {
        try await client.execute(uri: "/zoom/webhook", method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
            let json = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
            return (response.status, json.compactMapValues { $0 as? String })
        }
    }

    @Test func acceptsASignedEventAndPublishesTheRawBody() async throws {
        let publisher = RecordingPublisher()
        try await app(publisher).test(.live) { client in
            let (status, json) = try await post(client, Self.body, headers: signedHeaders(Self.body))
            #expect(status == .ok)
            #expect(json["status"] == "accepted")
            #expect(json["message_id"] == IdempotencyKey.of(Array(Self.body.utf8)))
        }
        let message = try #require(publisher.published.first)
        #expect(message.body == Array(Self.body.utf8))
        #expect(message.routingKey == "meeting.participant_joined")
        #expect(message.source == .webhook)
        #expect(message.requestID == "req-1")
        #expect(message.receivedAt == Self.now)
    }

    @Test func answersURLValidationWithoutPublishing() async throws {
        let publisher = RecordingPublisher()
        let body = #"{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}"#
        try await app(publisher).test(.live) { client in
            let (status, json) = try await post(client, body, headers: signedHeaders(body))
            #expect(status == .ok)
            #expect(json["plainToken"] == "qgg8vlvZRS6UYooatFL8Aw")
            #expect(json["encryptedToken"] == WebhookSigner(secretToken: Self.secret).encryptedToken(plainToken: "qgg8vlvZRS6UYooatFL8Aw"))
        }
        #expect(publisher.count == 0)
    }

    @Test func refusesURLValidationWithABadSignature() async throws {
        let publisher = RecordingPublisher()
        let body = #"{"payload":{"plainToken":"abc"},"event_ts":1654503849680,"event":"endpoint.url_validation"}"#
        try await app(publisher).test(.live) { client in
            let (status, json) = try await post(client, body, headers: signedHeaders(body, secret: "wrong"))
            #expect(status == .unauthorized)
            #expect(json["plainToken"] == nil)
        }
    }

    @Test func rejectsBadRequestsWithAReasonAndPublishesNothing() async throws {
        let publisher = RecordingPublisher()
        let cases: [(String, HTTPFields, HTTPResponse.Status, String)] = [
            (Self.body, signedHeaders(Self.body, secret: "wrong"), .unauthorized, "bad_signature"),
            (Self.body, signedHeaders(Self.body, timestamp: "1763790000"), .unauthorized, "stale_timestamp"),
            (Self.body, signedHeaders(Self.body, timestamp: "1763799999"), .unauthorized, "future_timestamp"),
            (Self.body, [.contentType: "application/json"], .unauthorized, "missing_signature"),
            (Self.body, signedHeaders(Self.body, contentType: "text/plain"), .unsupportedMediaType, "unsupported_content_type"),
            ("{not json", signedHeaders("{not json"), .badRequest, "invalid_json"),
            (#"{"payload":{}}"#, signedHeaders(#"{"payload":{}}"#), .badRequest, "missing_event"),
            ("", signedHeaders(""), .badRequest, "empty_body"),
        ]
        try await app(publisher).test(.live) { client in
            for (body, headers, expectedStatus, expectedCode) in cases {
                let (status, json) = try await post(client, body, headers: headers)
                #expect(status == expectedStatus, "\(expectedCode)")
                #expect(json["code"] == expectedCode)
                #expect(json["reason"]?.isEmpty == false)
            }
        }
        #expect(publisher.count == 0)
    }

    @Test func refusesABodyOverTheCap() async throws {
        let publisher = RecordingPublisher()
        let big = #"{"event":"meeting.started","padding":""# + String(repeating: "x", count: 4096) + #""}"#
        try await app(publisher, maxBody: 2048).test(.live) { client in
            let (status, json) = try await post(client, big, headers: signedHeaders(big))
            #expect(status == .contentTooLarge)
            #expect(json["code"] == "body_too_large")
        }
        #expect(publisher.count == 0)
    }

    @Test func answers503WhenTheBrokerDoesNotConfirm() async throws {
        for failure in [PublishFailure.notConnected, .confirmTimedOut, .notConfirmed("nack")] {
            try await app(RecordingPublisher(failing: failure)).test(.live) { client in
                let (status, json) = try await post(client, Self.body, headers: signedHeaders(Self.body))
                #expect(status == .serviceUnavailable)
                #expect(json["status"] == "unavailable")
            }
        }
    }

    @Test func spoolsWhatTheBrokerDidNotConfirmAndRefusesWhenFull() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-route-spool-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let spool = try EventSpool(directory: directory, maxBytes: 600)
        try await app(RecordingPublisher(failing: .notConnected), maxBody: 1024, spool: spool).test(.live) { client in
            let (status, json) = try await post(client, Self.body, headers: signedHeaders(Self.body))
            #expect(status == .ok)
            #expect(json["status"] == "accepted")
            try await client.execute(uri: "/ready", method: .get) { #expect($0.status == .serviceUnavailable) }
            let (second, refusal) = try await post(client, Self.body, headers: signedHeaders(Self.body))
            #expect(second == .serviceUnavailable)
            #expect(refusal["reason"]?.contains("spool full") == true)
        }
        let spooled = await spool.oldest(10)
        #expect(spooled.map(\.message.body) == [Array(Self.body.utf8)])
        #expect(spooled.first?.message.requestID == "req-1")
    }

    @Test func healthAndReadiness() async throws {
        try await app(RecordingPublisher()).test(.live) { client in
            try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/ready", method: .get) { #expect($0.status == .ok) }
        }
        try await app(RecordingPublisher(failing: .notConnected)).test(.live) { client in
            try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/ready", method: .get) { #expect($0.status == .serviceUnavailable) }
        }
    }

    @Test func contentTypeCheckIgnoresParametersAndCase() {
        #expect(WebhookHead.isJSON("application/json"))
        #expect(WebhookHead.isJSON("Application/JSON; charset=utf-8"))
        #expect(!WebhookHead.isJSON("application/jsonp"))
        #expect(!WebhookHead.isJSON(nil))
    }
}
