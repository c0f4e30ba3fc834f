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

/// The route cases of `ReceiverRouteTests` against what `lookout receive` serves: the channel
/// handler over a real socket (the route tests drive the same `WebhookIntake` through
/// Hummingbird's router in process).
@Suite struct ReceiverChannelTests {
    static let secret = ReceiverRouteTests.secret
    static let now = ReceiverRouteTests.now
    static let body = ReceiverRouteTests.body
    let routes = ReceiverRouteTests()

    func app(_ publisher: some EventPublisher, maxBody: Int = 1 << 20, spool: EventSpool? = nil) -> some ApplicationProtocol {
        var settings = ReceiverSettings(secretTokens: ["other", Self.secret])
        settings.maxBodyBytes = maxBody
        return makeReceiverApplication(settings: settings, publisher: publisher, spool: spool,
                                       logger: Logger(label: "test"), now: { Self.now })
    }

    @Test func acceptsASignedEventOverOneKeptAliveConnection() async throws {
        let publisher = RecordingPublisher()
        try await app(publisher).test(.live) { client in
            for _ in 0..<3 {
                let (status, json) = try await routes.post(client, Self.body, headers: routes.signedHeaders(Self.body))
                #expect(status == .ok)
                #expect(json["status"] == "accepted")
                #expect(json["message_id"] == IdempotencyKey.of(Array(Self.body.utf8)))
            }
        }
        let message = try #require(publisher.published.first)
        #expect(publisher.count == 3)
        #expect(message.body == Array(Self.body.utf8))
        #expect(message.routingKey == "meeting.participant_joined")
        #expect(message.requestID == "req-1")
        #expect(message.receivedAt == Self.now)
    }

    @Test func confirmsFromAnotherThreadThroughTheCallback() async throws {
        let publisher = CallbackPublisher()
        try await app(publisher).test(.live) { client in
            let (status, json) = try await routes.post(client, Self.body, headers: routes.signedHeaders(Self.body))
            #expect(status == .ok)
            #expect(json["status"] == "accepted")
        }
        #expect(publisher.calls.withLock { $0 } == 1)
    }

    @Test func rejectsWithAReasonAndPublishesNothing() async throws {
        let publisher = RecordingPublisher()
        let cases: [(String, HTTPFields, HTTPResponse.Status, String)] = [
            (Self.body, routes.signedHeaders(Self.body, secret: "wrong"), .unauthorized, "bad_signature"),
            (Self.body, routes.signedHeaders(Self.body, timestamp: "1763790000"), .unauthorized, "stale_timestamp"),
            (Self.body, [.contentType: "application/json"], .unauthorized, "missing_signature"),
            (Self.body, routes.signedHeaders(Self.body, contentType: "text/plain"), .unsupportedMediaType, "unsupported_content_type"),
            ("{not json", routes.signedHeaders("{not json"), .badRequest, "invalid_json"),
            ("", routes.signedHeaders(""), .badRequest, "empty_body"),
        ]
        try await app(publisher).test(.live) { client in
            for (body, headers, expectedStatus, expectedCode) in cases {
                let (status, json) = try await routes.post(client, body, headers: headers)
                #expect(status == expectedStatus, "\(expectedCode)")
                #expect(json["code"] == expectedCode)
            }
            // The connection is still good after answers given before the body was read.
            let (status, _) = try await routes.post(client, Self.body, headers: routes.signedHeaders(Self.body))
            #expect(status == .ok)
        }
        #expect(publisher.count == 1)
    }

    @Test func answers503OrSpoolsWhenTheBrokerDoesNotConfirm() async throws {
        try await app(RecordingPublisher(failing: .confirmTimedOut)).test(.live) { client in
            let (status, json) = try await routes.post(client, Self.body, headers: routes.signedHeaders(Self.body))
            #expect(status == .serviceUnavailable)
            #expect(json["status"] == "unavailable")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-channel-spool-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let spool = try EventSpool(directory: directory, maxBytes: 600)
        try await app(RecordingPublisher(failing: .notConnected), maxBody: 1024, spool: spool).test(.live) { client in
            let (status, json) = try await routes.post(client, Self.body, headers: routes.signedHeaders(Self.body))
            #expect(status == .ok)
            #expect(json["status"] == "accepted")
            try await client.execute(uri: "/ready", method: .get) { #expect($0.status == .serviceUnavailable) }
            let (second, refusal) = try await routes.post(client, Self.body, headers: routes.signedHeaders(Self.body))
            #expect(second == .serviceUnavailable)
            #expect(refusal["reason"]?.contains("spool full") == true)
        }
        #expect(await spool.oldest(10).map(\.message.body) == [Array(Self.body.utf8)])
    }

    @Test func healthReadinessAndUnknownRoutes() async throws {
        try await app(RecordingPublisher()).test(.live) { client in
            try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/ready", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/zoom/webhook", method: .get) { #expect($0.status == .methodNotAllowed) }
            try await client.execute(uri: "/elsewhere", method: .post) { #expect($0.status == .notFound) }
        }
        try await app(RecordingPublisher(failing: .notConnected)).test(.live) { client in
            try await client.execute(uri: "/ready", method: .get) { #expect($0.status == .serviceUnavailable) }
        }
    }

    @Test func routesIgnoreTheQueryAndATrailingSlash() {
        let routes = ReceiverRoutes(webhookPath: "/zoom/webhook")
        #expect(routes.route(method: .POST, uri: "/zoom/webhook") == .webhook)
        #expect(routes.route(method: .POST, uri: "/zoom/webhook/?a=1") == .webhook)
        #expect(routes.route(method: .GET, uri: "/zoom/webhook") == .methodNotAllowed)
        #expect(routes.route(method: .GET, uri: "/ready?x") == .ready)
        #expect(routes.route(method: .GET, uri: "/zoom/webhooks") == .notFound)
    }
}

/// Confirms on another thread, as `ConfirmedPublisher` does from its publisher thread.
final class CallbackPublisher: EventPublisher {
    let calls = Mutex(0)
    var isConnected: Bool { true }

    func publish(_ message: EventMessage) async throws(PublishFailure) {}

    func publish(_ message: EventMessage, completion: @escaping @Sendable (Result<Void, PublishFailure>) -> Void) {
        calls.withLock { $0 += 1 }
        Thread.detachNewThread { completion(.success(())) }
    }
}
