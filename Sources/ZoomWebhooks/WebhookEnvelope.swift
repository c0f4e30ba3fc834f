import Foundation
import ZoomModel

/// The part of a Zoom delivery the receiver needs: its event name, and for URL validation the token.
/// The body itself travels on untouched; this is only read to route it.
public struct WebhookEnvelope: Sendable, Equatable {
    public static let urlValidationEvent = ZoomEventName.urlValidation

    public let event: String
    public let eventTimestamp: Int64?
    public let plainToken: String?

    public var isURLValidation: Bool { event == Self.urlValidationEvent }

    /// Reads only `ZoomEvent.Head` (half the time of `JSONSerialization`, which builds every value).
    private static let decoder = JSONDecoder()

    /// Decodes and validates a raw body: strict JSON (RFC 8259: UTF-8, well-formed everywhere in
    /// the document, not only in the fields read here), an object with a non-empty string `event`.
    public static func decode(_ body: Data) throws(WebhookRejection) -> WebhookEnvelope {
        guard !body.isEmpty else { throw .emptyBody }
        guard String(validating: body, as: UTF8.self) != nil else { throw .invalidUTF8 }
        guard body.withUnsafeBytes(StrictJSON.isValid) else { throw .invalidJSON }
        guard let fields = try? decoder.decode(ZoomEvent.Head.self, from: body) else { throw .invalidJSON }
        guard let event = fields.name, !event.isEmpty, event.utf8.count <= 128 else { throw .missingEvent }
        let envelope = WebhookEnvelope(event: event, eventTimestamp: fields.eventTS, plainToken: fields.plainToken)
        if envelope.isURLValidation, (fields.plainToken ?? "").isEmpty { throw .missingPlainToken }
        return envelope
    }
}
