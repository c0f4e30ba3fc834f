import Foundation
import ZoomWebhooks

/// What the receiver answers, as an HTTP status and JSON text, for either front-end.
struct ReceiverAnswer: Sendable, Equatable {
    let status: Int
    let json: String

    init(_ outcome: Outcome, status: Int = 200) {
        self.status = status
        json = outcome.json
    }

    /// Zoom's URL validation (rare: once per app set-up), so `JSONEncoder` is fine here.
    init(_ validation: URLValidationAnswer) {
        status = 200
        json = (try? JSONEncoder().encode(validation)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func accepted(_ messageID: String) -> ReceiverAnswer {
        ReceiverAnswer(Outcome(status: "accepted", messageID: messageID))
    }
}
