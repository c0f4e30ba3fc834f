import Foundation
import HTTPTypes
import Hummingbird
import Logging
import LookoutCore
import Metrics
import NIOCore
import Spool
import ZoomWebhooks

/// Handles one Zoom delivery: refuse early what is wrong, verify, then answer only once the
/// broker holds the event. Rejected requests are never published.
struct WebhookEndpoint: Sendable {
    let settings: ReceiverSettings
    let verifier: WebhookVerifier
    let publisher: any EventPublisher
    let spool: EventSpool?
    let now: @Sendable () -> Date
    let bodyDeadlines: BodyDeadlines
    /// Ids accepted within the retry horizon; nil when strict (no late delivery gets through).
    let recentlyAccepted: RecentlyAccepted?

    init(settings: ReceiverSettings, publisher: any EventPublisher, spool: EventSpool?,
         now: @escaping @Sendable () -> Date = Date.init) {
        self.settings = settings
        self.verifier = WebhookVerifier(secretTokens: settings.secretTokens, tolerance: settings.timestampTolerance,
                                        horizon: settings.retryHorizon)
        self.publisher = publisher
        self.spool = spool
        self.now = now
        self.bodyDeadlines = BodyDeadlines(interval: BodyDeadlines.interval(for: settings.bodyTimeout))
        self.recentlyAccepted = verifier.acceptsLateDeliveries
            ? RecentlyAccepted(capacity: settings.recentlyAcceptedCapacity, lifetime: settings.retryHorizon) : nil
    }

    func handle(_ request: Request, context: some RequestContext) async -> Response {
        let requestID = request.headers[.zoomRequestID].map { String($0.prefix(128)) }
        // Made only when something is logged: the accepted path logs at debug level.
        var logger: Logger {
            var logger = context.logger
            logger[metadataKey: "zoom_request_id"] = "\(requestID ?? "-")"
            return logger
        }
        let receivedAt = now()
        do {
            let (body, envelope, signer, age) = try await verified(request, receivedAt: receivedAt)
            if envelope.isURLValidation, let plainToken = envelope.plainToken {
                Self.count("url_validation")
                logger.info("answered URL validation")
                return .json(URLValidationAnswer(plainToken: plainToken, signer: signer))
            }
            let message = EventMessage(routingKey: envelope.event, body: body, messageID: IdempotencyKey.of(body),
                                       receivedAt: receivedAt, source: .webhook, requestID: requestID)
            if case .late(let seconds) = age {
                // A retry keeping its first timestamp, or a replay: the same body is the same
                // message id. Already accepted here: downstream has it, answer without publishing.
                if let recentlyAccepted, recentlyAccepted.contains(message.messageID, now: receivedAt) {
                    Self.count("duplicate")
                    logger.info("late delivery of an event already accepted, not published again", metadata: [
                        "event": "\(envelope.event)", "message_id": "\(message.messageID)", "signed_seconds_ago": "\(seconds)"])
                    return .json(Outcome(status: "duplicate", messageID: message.messageID))
                }
                logger.notice("accepting a late delivery (signed longer ago than the timestamp window)", metadata: [
                    "event": "\(envelope.event)", "message_id": "\(message.messageID)", "signed_seconds_ago": "\(seconds)"])
            }
            let started = ContinuousClock.now
            do {
                try await publisher.publish(message)
                Self.confirmLatency.recordInterval(since: started)
            } catch {
                return await spoolOrRefuse(message, because: error, late: age != .fresh, logger: logger)
            }
            recentlyAccepted?.insert(message.messageID, now: receivedAt)
            if age == .fresh { Self.count("accepted") } else { Self.count("accepted", reason: "late_timestamp") }
            if context.logger.logLevel <= .debug {
                logger.debug("event accepted", metadata: ["event": "\(envelope.event)", "message_id": "\(message.messageID)"])
            }
            return .json(Outcome(status: "accepted", messageID: message.messageID))
        } catch {
            Self.count("rejected", reason: error.code)
            logger.notice("webhook rejected", metadata: ["reason": "\(error.code)"])
            return .json(Outcome(status: "rejected", reason: error.reason, code: error.code),
                         status: HTTPResponse.Status(code: error.status))
        }
    }

    /// The broker did not confirm: keep the event in the local spool (200), or, if there is no
    /// room, answer 503 so Zoom retries later.
    private func spoolOrRefuse(_ message: EventMessage, because failure: PublishFailure, late: Bool, logger: Logger) async -> Response {
        guard let spool else {
            logger.error("event not confirmed by the broker", metadata: ["event": "\(message.routingKey)", "error": "\(failure)"])
            Self.count("unavailable")
            return .json(Outcome(status: "unavailable", reason: Self.reason(failure)), status: .serviceUnavailable)
        }
        do {
            try await spool.append(message)
            recentlyAccepted?.insert(message.messageID, now: message.receivedAt)
            Self.count("spooled", reason: late ? "late_timestamp" : "")
            Self.spoolDepth.record(spool.count)
            logger.warning("broker did not confirm, event spooled", metadata: [
                "event": "\(message.routingKey)", "message_id": "\(message.messageID)", "error": "\(failure)"])
            return .json(Outcome(status: "accepted", messageID: message.messageID, spooled: true))
        } catch {
            Self.count("unavailable")
            logger.error("broker did not confirm and the spool refused the event", metadata: [
                "event": "\(message.routingKey)", "error": "\(failure)", "spool": "\(error)"])
            return .json(Outcome(status: "unavailable", reason: Self.reason(failure) + "; spool \(error == .full ? "full" : "failed")"),
                         status: .serviceUnavailable)
        }
    }

    static let confirmLatency = Metrics.Timer(label: "lookout_publish_confirm_seconds")
    static let spoolDepth = Gauge(label: "lookout_spool_events")

    /// `lookout_webhooks_total{outcome, reason}`: what became of each request.
    static func count(_ outcome: String, reason: String = "") {
        WebhookCounters.increment(outcome, reason: reason)
    }

    /// Every check, cheapest first: headers before reading the body, the signature before parsing it.
    /// A timestamp older than the retry horizon, or ahead by more than the window, is refused here,
    /// before the body is read; one between window and horizon goes on, and passes only if the
    /// signature, which covers the timestamp, verifies.
    private func verified(_ request: Request, receivedAt: Date) async throws(WebhookRejection)
        -> ([UInt8], WebhookEnvelope, WebhookSigner, WebhookVerifier.TimestampAge) {
        guard Self.isJSON(request.headers[.contentType]) else { throw .unsupportedContentType }
        guard request.headers[.zoomSignature] != nil else { throw .missingSignature }
        let age = try verifier.checkTimestampAge(request.headers[.zoomTimestamp], now: receivedAt).age
        if let length = request.headers[.contentLength].flatMap(Int.init), length > settings.maxBodyBytes {
            throw .bodyTooLarge(limit: settings.maxBodyBytes)
        }
        let buffer = try await collectBody(request)
        let body = Array(buffer.readableBytesView)
        let signer = try verifier.verify(signature: request.headers[.zoomSignature],
                                         timestamp: request.headers[.zoomTimestamp], body: body, now: receivedAt)
        let envelope = try WebhookEnvelope.decode(Data(body))
        return (body, envelope, signer, age)
    }

    /// Reads the body up to the size cap, within the body timeout.
    private func collectBody(_ request: Request) async throws(WebhookRejection) -> ByteBuffer {
        let limit = settings.maxBodyBytes
        let outcome = await bodyDeadlines.run(until: .now + settings.bodyTimeout) { () async -> Result<ByteBuffer, WebhookRejection> in
            do { return .success(try await request.body.collect(upTo: limit)) }
            catch is NIOTooManyBytesError { return .failure(.bodyTooLarge(limit: limit)) }
            catch { return .failure(.bodyTimeout) }
        }
        return try outcome.get()
    }

    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) }
        return mediaType?.lowercased() == "application/json"
    }

    private static func reason(_ failure: PublishFailure) -> String {
        switch failure {
        case .notConnected: "broker unavailable; retry later"
        case .confirmTimedOut: "broker did not confirm in time; retry later"
        case .notConfirmed(let why): "broker did not confirm: \(why)"
        case .shuttingDown: "receiver is shutting down; retry later"
        }
    }
}

/// The short JSON body of every answer that is not a URL validation.
package struct Outcome: Codable, Equatable {
    var status: String
    var reason: String?
    var code: String?
    var messageID: String?
    var spooled: Bool?
    var spoolDepth: Int?

    package init(status: String, reason: String? = nil, code: String? = nil, messageID: String? = nil,
                 spooled: Bool? = nil, spoolDepth: Int? = nil) {
        self.status = status
        self.reason = reason
        self.code = code
        self.messageID = messageID
        self.spooled = spooled
        self.spoolDepth = spoolDepth
    }

    enum CodingKeys: String, CodingKey {
        case status, reason, code, spooled
        case messageID = "message_id"
        case spoolDepth = "spool_depth"
    }
}

extension HTTPField.Name {
    static let zoomSignature = Self("x-zm-signature")!
    static let zoomTimestamp = Self("x-zm-request-timestamp")!
    static let zoomRequestID = Self("x-zm-request-id")!
}

extension Response {
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONEncoder().encode(value)) ?? Data("{}".utf8)
        return json(body: ByteBuffer(bytes: data), status: status)
    }

    static func json(_ outcome: Outcome, status: HTTPResponse.Status = .ok) -> Response {
        json(body: ByteBuffer(string: outcome.json), status: status)
    }

    private static func json(body: ByteBuffer, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                 body: .init(byteBuffer: body))
    }
}
