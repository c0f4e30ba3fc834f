import Foundation
import Testing
@testable import ZoomWebhooks

@Suite struct WebhookEnvelopeTests {
    @Test func readsTheEventOfEveryRecordedPayload() throws {
        let expected = [
            "participant_joined": "meeting.participant_joined",
            "participant_left": "meeting.participant_left",
            "participant_joined_guest": "meeting.participant_joined",
            "meeting_started": "meeting.started",
            "meeting_ended": "meeting.ended",
            "sharing_started": "meeting.sharing_started",
            "url_validation": "endpoint.url_validation",
        ]
        for (fixture, event) in expected {
            let envelope = try WebhookEnvelope.decode(Data(try Fixture.bytes(fixture)))
            #expect(envelope.event == event, "\(fixture)")
            #expect(envelope.eventTimestamp != nil)
        }
    }

    @Test func urlValidationCarriesItsToken() throws {
        let envelope = try WebhookEnvelope.decode(Data(try Fixture.bytes("url_validation")))
        #expect(envelope.isURLValidation)
        #expect(envelope.plainToken == "qgg8vlvZRS6UYooatFL8Aw")
    }

    @Test(arguments: [
        ("", WebhookRejection.emptyBody),
        ("not json", .invalidJSON),
        (#"{"event": "meeting.started""#, .invalidJSON),
        (#"["meeting.started"]"#, .invalidJSON),
        (#""meeting.started""#, .invalidJSON),
        (#"{"payload": {}}"#, .missingEvent),
        (#"{"event": 42}"#, .missingEvent),
        (#"{"event": null}"#, .missingEvent),
        (#"{"event": ""}"#, .missingEvent),
        (#"{"event": "endpoint.url_validation", "payload": {}}"#, .missingPlainToken),
        (#"{"event": "endpoint.url_validation", "payload": {"plainToken": ""}}"#, .missingPlainToken),
    ])
    func refusesMalformedBodies(body: String, expected: WebhookRejection) {
        #expect(throws: expected) { try WebhookEnvelope.decode(Data(body.utf8)) }
    }

    @Test func refusesInvalidUTF8AnywhereInTheBody() {
        let body = Data(#"{"event":"meeting.started","payload":{"object":{"topic":""#.utf8) + Data([0xC3, 0x28]) + Data(#""}}}"#.utf8)
        #expect(throws: WebhookRejection.invalidUTF8) { try WebhookEnvelope.decode(body) }
    }

    @Test func toleratesUnknownEventsAndOddPayloads() throws {
        let envelope = try WebhookEnvelope.decode(Data(#"{"event": "meeting.something_new", "event_ts": "soon", "payload": [1]}"#.utf8))
        #expect(envelope.event == "meeting.something_new")
        #expect(envelope.eventTimestamp == nil)
    }

    @Test func refusesDeepNesting() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: WebhookRejection.invalidJSON) {
            try WebhookEnvelope.decode(Data(#"{"event": "x", "payload": \#(deep)}"#.utf8))
        }
    }

    @Test func rejectionsMapToHTTPStatuses() {
        #expect(WebhookRejection.badSignature.status == 401)
        #expect(WebhookRejection.staleTimestamp.status == 401)
        #expect(WebhookRejection.bodyTooLarge(limit: 10).status == 413)
        #expect(WebhookRejection.unsupportedContentType.status == 415)
        #expect(WebhookRejection.invalidJSON.status == 400)
        #expect(WebhookRejection.missingEvent.status == 400)
    }
}
