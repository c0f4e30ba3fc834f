import Foundation

/// The part of a Zoom delivery the receiver needs: its event name, and for URL validation the token.
/// The body itself travels on untouched; this is only read to route it.
public struct WebhookEnvelope: Sendable, Equatable {
    public static let urlValidationEvent = "endpoint.url_validation"

    public let event: String
    public let eventTimestamp: Int64?
    public let plainToken: String?

    public var isURLValidation: Bool { event == Self.urlValidationEvent }

    /// Reads only the three fields below (half the time of `JSONSerialization`, which builds every value).
    private static let decoder = JSONDecoder()

    /// Decodes and validates a raw body: strict JSON (RFC 8259: UTF-8, well-formed everywhere in
    /// the document, not only in the fields read here), an object with a non-empty string `event`.
    public static func decode(_ body: Data) throws(WebhookRejection) -> WebhookEnvelope {
        guard !body.isEmpty else { throw .emptyBody }
        guard String(validating: body, as: UTF8.self) != nil else { throw .invalidUTF8 }
        guard body.withUnsafeBytes(StrictJSON.isValid) else { throw .invalidJSON }
        guard let fields = try? decoder.decode(EnvelopeFields.self, from: body) else { throw .invalidJSON }
        guard let event = fields.event, !event.isEmpty, event.utf8.count <= 128 else { throw .missingEvent }
        let envelope = WebhookEnvelope(event: event, eventTimestamp: fields.eventTimestamp, plainToken: fields.plainToken)
        if envelope.isURLValidation, (fields.plainToken ?? "").isEmpty { throw .missingPlainToken }
        return envelope
    }
}

/// The fields the receiver reads; a field of another type or shape reads as absent, as before.
/// Anything but an object at the top fails to decode.
private struct EnvelopeFields: Decodable {
    var event: String?
    var eventTimestamp: Int64?
    var plainToken: String?

    private enum Keys: String, CodingKey { case event, event_ts, payload, plainToken }

    init(from decoder: any Decoder) throws {
        let object = try decoder.container(keyedBy: Keys.self)
        event = try? object.decodeIfPresent(String.self, forKey: .event)
        eventTimestamp = (try? object.decodeIfPresent(Double.self, forKey: .event_ts)).flatMap { Int64(exactly: $0) }
        plainToken = try? object.nestedContainer(keyedBy: Keys.self, forKey: .payload).decodeIfPresent(String.self, forKey: .plainToken)
    }
}
