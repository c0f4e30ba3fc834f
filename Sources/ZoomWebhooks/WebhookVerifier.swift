import Foundation
import ZoomModel

/// Checks a delivery's `x-zm-signature` and `x-zm-request-timestamp` against every configured secret
/// token (several Zoom apps, or a rotation in progress).
///
/// Two limits apply to the timestamp. Within `tolerance` either way it is *fresh*. Older than
/// that but not older than `horizon` it is *late*: still accepted when the signature verifies, so
/// that a Zoom retry keeping its first timestamp (+5, +20, +60 min; not documented either way) is
/// not refused. Older than `horizon`, or ahead by more than `tolerance`, it is refused. No
/// `horizon` (the default), or one not longer than `tolerance`, is the strict window alone.
public struct WebhookVerifier: Sendable {
    public static let defaultTolerance: Duration = .seconds(300)

    /// How a timestamp that passed compares with the fresh window.
    public enum TimestampAge: Sendable, Equatable {
        case fresh
        /// Signed this many seconds ago: longer than the window, not longer than the horizon.
        case late(seconds: Int64)
    }

    private let signers: [WebhookSigner]
    private let toleranceSeconds: Int64
    private let horizonSeconds: Int64

    public init(secretTokens: [String], tolerance: Duration = Self.defaultTolerance, horizon: Duration? = nil) {
        precondition(!secretTokens.isEmpty, "at least one secret token is required")
        signers = secretTokens.map(WebhookSigner.init(secretToken:))
        toleranceSeconds = tolerance.components.seconds
        horizonSeconds = max(toleranceSeconds, horizon?.components.seconds ?? 0)
    }

    /// Whether late deliveries are accepted at all (a horizon longer than the window).
    public var acceptsLateDeliveries: Bool { horizonSeconds > toleranceSeconds }

    /// Checks only the headers, so a request can be refused before its body is read.
    public func checkTimestamp(_ timestamp: String?, now: Date) throws(WebhookRejection) -> String {
        try checkTimestampAge(timestamp, now: now).timestamp
    }

    /// `checkTimestamp`, also telling whether the timestamp is fresh or late.
    public func checkTimestampAge(_ timestamp: String?, now: Date) throws(WebhookRejection) -> (timestamp: String, age: TimestampAge) {
        guard let timestamp, !timestamp.isEmpty else { throw .missingTimestamp }
        guard timestamp.count <= 12, let seconds = Int64(timestamp) else { throw .malformedTimestamp }
        let skew = seconds - Int64(now.timeIntervalSince1970.rounded(.down))
        if skew > toleranceSeconds { throw .futureTimestamp }
        if -skew <= toleranceSeconds { return (timestamp, .fresh) }
        guard -skew <= horizonSeconds else {
            throw acceptsLateDeliveries ? .beyondRetryHorizon(seconds: horizonSeconds) : .staleTimestamp
        }
        return (timestamp, .late(seconds: -skew))
    }

    /// Returns the signer whose secret produced the signature (needed to answer URL validation).
    public func verify(signature: String?, timestamp: String?, body: some DataProtocol,
                       now: Date) throws(WebhookRejection) -> WebhookSigner {
        let timestamp = try checkTimestamp(timestamp, now: now)
        guard let signature, !signature.isEmpty else { throw .missingSignature }
        guard signature.hasPrefix("v0="), signature.utf8.count == 67,
              let presented = Hex.decode(signature.dropFirst(3)) else { throw .malformedSignature }
        // Every secret is tried, so the time taken does not reveal which one matched.
        var match: WebhookSigner?
        for signer in signers where signer.authenticates(presented, timestamp: timestamp, body: body) {
            match = match ?? signer
        }
        guard let match else { throw .badSignature }
        return match
    }
}

