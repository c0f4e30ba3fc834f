import Foundation

/// The part of a Zoom delivery the receiver needs: its event name, and for URL validation the token.
/// The body itself travels on untouched; this is only read to route it.
public struct WebhookEnvelope: Sendable, Equatable {
    public static let urlValidationEvent = "endpoint.url_validation"

    public let event: String
    public let eventTimestamp: Int64?
    public let plainToken: String?

    public var isURLValidation: Bool { event == Self.urlValidationEvent }

    /// Decodes and validates a raw body: a JSON object with a non-empty string `event`.
    public static func decode(_ body: Data) throws(WebhookRejection) -> WebhookEnvelope {
        guard !body.isEmpty else { throw .emptyBody }
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: body)
        } catch DecodingError.keyNotFound, DecodingError.valueNotFound {
            throw .missingEvent
        } catch DecodingError.typeMismatch(_, let context) where context.codingPath.first?.stringValue == "event" {
            throw .missingEvent
        } catch {
            throw .invalidJSON
        }
        guard !wire.event.isEmpty, wire.event.utf8.count <= 128 else { throw .missingEvent }
        let envelope = WebhookEnvelope(event: wire.event, eventTimestamp: wire.event_ts,
                                       plainToken: wire.payload?.plainToken)
        if envelope.isURLValidation, (envelope.plainToken ?? "").isEmpty { throw .missingPlainToken }
        return envelope
    }

    private struct Wire: Decodable {
        let event: String
        let event_ts: Int64?
        let payload: Payload?

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            event = try container.decode(String.self, forKey: .event)
            event_ts = try? container.decodeIfPresent(Int64.self, forKey: .event_ts)
            payload = try? container.decodeIfPresent(Payload.self, forKey: .payload)
        }

        enum CodingKeys: String, CodingKey { case event, event_ts, payload }
    }

    private struct Payload: Decodable {
        let plainToken: String?
    }
}
