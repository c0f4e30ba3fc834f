/// Why a delivery was refused, with the HTTP status Zoom (or an attacker) gets back.
/// 4xx answers are never retried by Zoom, so only a transient failure of ours is a 5xx.
public enum WebhookRejection: Error, Equatable, Sendable {
    case missingSignature
    case malformedSignature
    case badSignature
    case missingTimestamp
    case malformedTimestamp
    case staleTimestamp
    /// Older than the retry horizon, past which not even a validly signed retry is accepted.
    case beyondRetryHorizon(seconds: Int64)
    case futureTimestamp
    case unsupportedContentType
    case bodyTooLarge(limit: Int)
    /// The body did not arrive in time (a slow or stalled client).
    case bodyTimeout
    case emptyBody
    case invalidJSON
    case invalidUTF8
    case missingEvent
    case missingPlainToken

    public var status: Int {
        switch self {
        case .missingSignature, .malformedSignature, .badSignature,
             .missingTimestamp, .malformedTimestamp, .staleTimestamp, .beyondRetryHorizon, .futureTimestamp: 401
        case .unsupportedContentType: 415
        case .bodyTooLarge: 413
        case .bodyTimeout: 408
        case .emptyBody, .invalidJSON, .invalidUTF8, .missingEvent, .missingPlainToken: 400
        }
    }

    /// A short machine-readable reason, also used as a metrics label.
    public var code: String {
        switch self {
        case .missingSignature: "missing_signature"
        case .malformedSignature: "malformed_signature"
        case .badSignature: "bad_signature"
        case .missingTimestamp: "missing_timestamp"
        case .malformedTimestamp: "malformed_timestamp"
        case .staleTimestamp: "stale_timestamp"
        // The same label: either way the timestamp is too old for this receiver.
        case .beyondRetryHorizon: "stale_timestamp"
        case .futureTimestamp: "future_timestamp"
        case .unsupportedContentType: "unsupported_content_type"
        case .bodyTooLarge: "body_too_large"
        case .bodyTimeout: "body_timeout"
        case .emptyBody: "empty_body"
        case .invalidJSON: "invalid_json"
        case .invalidUTF8: "invalid_utf8"
        case .missingEvent: "missing_event"
        case .missingPlainToken: "missing_plain_token"
        }
    }

    public var reason: String {
        switch self {
        case .missingSignature: "x-zm-signature header is missing"
        case .malformedSignature: "x-zm-signature must be v0= followed by 64 hex digits"
        case .badSignature: "x-zm-signature does not match any configured secret token"
        case .missingTimestamp: "x-zm-request-timestamp header is missing"
        case .malformedTimestamp: "x-zm-request-timestamp must be Unix seconds"
        case .staleTimestamp: "x-zm-request-timestamp is more than 5 minutes in the past"
        case .beyondRetryHorizon(let seconds):
            "x-zm-request-timestamp is more than \(seconds) s in the past, beyond the retry horizon"
        case .futureTimestamp: "x-zm-request-timestamp is more than 5 minutes in the future"
        case .unsupportedContentType: "content-type must be application/json"
        case .bodyTooLarge(let limit): "body is larger than \(limit) bytes"
        case .bodyTimeout: "body did not arrive in time"
        case .emptyBody: "body is empty"
        case .invalidJSON: "body is not a JSON object"
        case .invalidUTF8: "body is not valid UTF-8"
        case .missingEvent: "JSON has no string field \"event\""
        case .missingPlainToken: "endpoint.url_validation without payload.plainToken"
        }
    }
}
