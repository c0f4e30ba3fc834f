import LookoutCore
import ZoomWebhooks

/// What the receiver answers, as an HTTP status and JSON text, for either front-end.
struct ReceiverAnswer: Sendable, Equatable {
    let status: Int
    let json: String

    init(_ outcome: Outcome, status: Int = 200) {
        self.status = status
        json = outcome.json
    }

    /// Zoom's URL validation, written with the one JSON string escaper: it cannot fail, so there
    /// is no fallback body (an empty object would fail Zoom's validation without a word).
    init(_ validation: URLValidationAnswer) {
        status = 200
        var out = #"{"plainToken":"#
        JSONString.append(validation.plainToken, to: &out)
        out += #","encryptedToken":"#
        JSONString.append(validation.encryptedToken, to: &out)
        out += "}"
        json = out
    }

    static func accepted(_ messageID: String) -> ReceiverAnswer {
        ReceiverAnswer(Outcome(status: "accepted", messageID: messageID))
    }
}
