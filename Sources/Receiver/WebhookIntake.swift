import Foundation
import Logging
import LookoutCore
import Spool
import ZoomWebhooks

/// Every decision on a Zoom delivery, apart from HTTP: refuse early what is wrong, verify, and
/// answer only once the broker holds the event (or, when it did not confirm, the spool does).
/// Rejected requests are never published.
///
/// Synchronous except the spool, so the receiver's channel handler runs it on the NIO event loop
/// that read the request: HMAC (~3 µs), the strict JSON check and the 3-field head decode (~5 µs)
/// and the SHA-256 id (~1.5 µs) cost less than one hop to another thread and back.
final class WebhookIntake: Sendable {
    let settings: ReceiverSettings
    let verifier: WebhookVerifier
    let spool: EventSpool?
    let now: @Sendable () -> Date
    /// Ids accepted within the retry horizon; nil when strict (no late delivery gets through).
    let recentlyAccepted: RecentlyAccepted?

    /// What to do once the whole body is in.
    enum Verdict {
        case answer(ReceiverAnswer)
        /// Publish, then answer with `confirmed` or `notConfirmed`.
        case publish(EventMessage, age: WebhookVerifier.TimestampAge)
    }

    init(settings: ReceiverSettings, spool: EventSpool?, now: @escaping @Sendable () -> Date = Date.init) {
        self.settings = settings
        self.verifier = WebhookVerifier(secretTokens: settings.secretTokens, tolerance: settings.timestampTolerance,
                                        horizon: settings.retryHorizon)
        self.spool = spool
        self.now = now
        self.recentlyAccepted = verifier.acceptsLateDeliveries
            ? RecentlyAccepted(capacity: settings.recentlyAcceptedCapacity, lifetime: settings.retryHorizon) : nil
    }

    /// The checks that need only the head, cheapest first, before any of the body is kept. A
    /// timestamp older than the retry horizon, or ahead by more than the window, is refused here;
    /// one between window and horizon goes on, and passes only if the signature, which covers the
    /// timestamp, verifies.
    func checkHead(_ head: WebhookHead, receivedAt: Date) throws(WebhookRejection) -> WebhookVerifier.TimestampAge {
        guard WebhookHead.isJSON(head.contentType) else { throw .unsupportedContentType }
        guard head.signature != nil else { throw .missingSignature }
        let age = try verifier.checkTimestampAge(head.timestamp, now: receivedAt).age
        if let length = head.contentLength, length > settings.maxBodyBytes {
            throw .bodyTooLarge(limit: settings.maxBodyBytes)
        }
        return age
    }

    /// The whole body is in: the signature before parsing it, then URL validation and late duplicates.
    func admit(body: [UInt8], head: WebhookHead, age: WebhookVerifier.TimestampAge, receivedAt: Date,
               logger: Logger) -> Verdict {
        let envelope: WebhookEnvelope
        let signer: WebhookSigner
        do throws(WebhookRejection) {
            signer = try verifier.verify(signature: head.signature, timestamp: head.timestamp, body: body, now: receivedAt)
            envelope = try WebhookEnvelope.decode(Data(body))
        } catch {
            return .answer(rejected(error, requestID: head.requestID, logger: logger))
        }
        if envelope.isURLValidation, let plainToken = envelope.plainToken {
            ReceiverMetrics.count("url_validation")
            Self.withRequestID(logger, head.requestID).info("answered URL validation")
            return .answer(ReceiverAnswer(URLValidationAnswer(plainToken: plainToken, signer: signer)))
        }
        let message = EventMessage(routingKey: envelope.event, body: body, messageID: IdempotencyKey.of(body),
                                   receivedAt: receivedAt, source: .webhook, requestID: head.requestID)
        if case .late(let seconds) = age {
            // A retry keeping its first timestamp, or a replay: the same body is the same
            // message id. Already accepted here: downstream has it, answer without publishing.
            let metadata: Logger.Metadata = ["event": "\(envelope.event)", "message_id": "\(message.messageID)",
                                             "signed_seconds_ago": "\(seconds)"]
            if let recentlyAccepted, recentlyAccepted.contains(message.messageID, now: receivedAt) {
                ReceiverMetrics.count("duplicate")
                Self.withRequestID(logger, head.requestID)
                    .info("late delivery of an event already accepted, not published again", metadata: metadata)
                return .answer(ReceiverAnswer(Outcome(status: "duplicate", messageID: message.messageID)))
            }
            Self.withRequestID(logger, head.requestID)
                .notice("accepting a late delivery (signed longer ago than the timestamp window)", metadata: metadata)
        }
        return .publish(message, age: age)
    }

    /// The broker confirmed `message`, published at `started`.
    func confirmed(_ message: EventMessage, age: WebhookVerifier.TimestampAge, publishedAt started: ContinuousClock.Instant,
                   logger: Logger) -> ReceiverAnswer {
        ReceiverMetrics.confirmLatency.recordInterval(since: started)
        recentlyAccepted?.insert(message.messageID, now: message.receivedAt)
        if age == .fresh { ReceiverMetrics.count("accepted") } else { ReceiverMetrics.count("accepted", reason: "late_timestamp") }
        if logger.logLevel <= .debug {
            Self.withRequestID(logger, message.requestID)
                .debug("event accepted", metadata: ["event": "\(message.routingKey)", "message_id": "\(message.messageID)"])
        }
        return .accepted(message.messageID)
    }

    /// The broker did not confirm: keep the event in the local spool (200), or, if there is no
    /// room, answer 503 so Zoom retries later.
    func notConfirmed(_ message: EventMessage, because failure: PublishFailure, age: WebhookVerifier.TimestampAge,
                      logger base: Logger) async -> ReceiverAnswer {
        let logger = Self.withRequestID(base, message.requestID)
        guard let spool else {
            logger.error("event not confirmed by the broker", metadata: ["event": "\(message.routingKey)", "error": "\(failure)"])
            ReceiverMetrics.count("unavailable")
            return ReceiverAnswer(Outcome(status: "unavailable", reason: Self.reason(failure)), status: 503)
        }
        do {
            try await spool.append(message)
            recentlyAccepted?.insert(message.messageID, now: message.receivedAt)
            ReceiverMetrics.count("spooled", reason: age == .fresh ? "" : "late_timestamp")
            ReceiverMetrics.spoolDepth.record(spool.count)
            logger.warning("broker did not confirm, event spooled", metadata: [
                "event": "\(message.routingKey)", "message_id": "\(message.messageID)", "error": "\(failure)"])
            return ReceiverAnswer(Outcome(status: "accepted", messageID: message.messageID, spooled: true))
        } catch {
            ReceiverMetrics.count("unavailable")
            logger.error("broker did not confirm and the spool refused the event", metadata: [
                "event": "\(message.routingKey)", "error": "\(failure)", "spool": "\(error)"])
            return ReceiverAnswer(Outcome(status: "unavailable", reason: Self.reason(failure) + "; spool \(error == .full ? "full" : "failed")"),
                                  status: 503)
        }
    }

    /// Counted, logged, and answered with the rejection's status and reason.
    func rejected(_ rejection: WebhookRejection, requestID: String?, logger: Logger) -> ReceiverAnswer {
        ReceiverMetrics.count("rejected", reason: rejection.code)
        Self.withRequestID(logger, requestID).notice("webhook rejected", metadata: ["reason": "\(rejection.code)"])
        return ReceiverAnswer(Outcome(status: "rejected", reason: rejection.reason, code: rejection.code), status: rejection.status)
    }

    /// `/health`: the process is up.
    func health() -> ReceiverAnswer {
        ReceiverAnswer(Outcome(status: "up", spoolDepth: spool?.count))
    }

    /// `/ready`: able to accept, because the broker is connected or the spool has room.
    func readiness(brokerConnected: Bool) -> ReceiverAnswer {
        if brokerConnected { return ReceiverAnswer(Outcome(status: "ready", spoolDepth: spool?.count)) }
        if let spool, spool.hasRoom(for: settings.maxBodyBytes) {
            return ReceiverAnswer(Outcome(status: "ready", reason: "broker unreachable; accepting into the spool", spoolDepth: spool.count))
        }
        return ReceiverAnswer(Outcome(status: "not_ready", reason: "not connected to the broker", spoolDepth: spool?.count),
                              status: 503)
    }

    /// The request's logger, made only when something is logged: the accepted path logs at debug level.
    private static func withRequestID(_ base: Logger, _ requestID: String?) -> Logger {
        var logger = base
        logger[metadataKey: "zoom_request_id"] = "\(requestID ?? "-")"
        return logger
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
