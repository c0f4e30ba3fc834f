import Foundation
import Testing
@testable import Notifier
import ZoomModel

@Suite struct PrivacyTests {
    let pseudonyms = Pseudonyms(key: Array("a key of sixteen or more bytes".utf8))

    @Test func showOnlyPostsTheListedPeopleAndEveryMeetingEvent() throws {
        let privacy = Privacy.only(listing: ["JILL CHILL", "ada@example.edu"])
        #expect(privacy.apply(to: try Fixture.event("participant_joined"), pseudonyms: nil) != nil)
        #expect(privacy.apply(to: try Fixture.event("participant_admitted"), pseudonyms: nil) != nil)
        #expect(privacy.apply(to: try Fixture.event("participant_joined_guest"), pseudonyms: nil) == nil)
        #expect(privacy.apply(to: try Fixture.event("meeting_started"), pseudonyms: nil) != nil)
        let incident = try #require(Privacy.only(listing: ["Ada Lovelace"]).apply(to: try Fixture.event("incident_collective_disconnection"), pseudonyms: nil))
        #expect(incident.incident?.participants.map(\.name) == ["Ada Lovelace"])
        #expect(incident.incident?.size == 3)
    }

    @Test func pseudonymsAreStableKeyedAndHideTheNameEverywhere() throws {
        let event = try Fixture.event("participant_left")
        let shown = try #require(Privacy.pseudonymized.apply(to: event, pseudonyms: pseudonyms))
        let name = try #require(shown.participant?.name)
        #expect(name.hasPrefix("Participant ") && name.count == "Participant ".count + 6)
        #expect(shown.participant?.email == nil)
        #expect(shown.participant?.leaveReason?.contains("Jill") == false)
        #expect(Privacy.pseudonymized.apply(to: try Fixture.event("participant_joined"), pseudonyms: pseudonyms)?.participant?.name == name)
        let otherKey = Pseudonyms(key: Array("another key, sixteen bytes+".utf8))
        #expect(otherKey.name(for: "Jill Chill") != name)
        let attachment = MessageAttachment.notice(Notice(kind: .disconnected, event: shown, source: .webhook), style: utc)
        let json = String(decoding: try JSONEncoder().encode(attachment), as: UTF8.self)
        #expect(!json.contains("Jill") && !json.contains("jill@"))
    }

    /// Webhooks carry no email (0 of 157 in one recording): the name is what the dashboard and the
    /// exports key on too, so the same person is the same pseudonym there and here.
    @Test func pseudonymsAreKeyedOnTheNameAsEverywhereElse() throws {
        var event = try Fixture.event("participant_joined")
        let withEmail = Privacy.pseudonymized.apply(to: event, pseudonyms: pseudonyms)?.participant?.name
        event.participant?.email = ""
        event.participant?.name = "  jill   CHILL "
        #expect(Privacy.pseudonymized.apply(to: event, pseudonyms: pseudonyms)?.participant?.name == withEmail)
        #expect(withEmail == pseudonyms.name(for: "Jill Chill"))
    }

    @Test func pseudonymizingWithoutAKeyShowsNothing() throws {
        #expect(Privacy.pseudonymized.apply(to: try Fixture.event("participant_joined"), pseudonyms: nil) == nil)
    }

    @Test func theKeyNeverPrints() {
        #expect("\(pseudonyms)" == "Pseudonyms(key: ***)")
    }
}

@Suite struct PostOutcomeTests {
    @Test func okIsDelivered() {
        #expect(PostOutcome.classify(status: 200, body: Array("ok".utf8), retryAfter: nil) == .delivered)
    }

    @Test func tooManyRequestsHonoursRetryAfter() {
        #expect(PostOutcome.classify(status: 429, body: Array("limit exceeded".utf8), retryAfter: "3") == .rateLimited(retryAfter: .seconds(3)))
        #expect(PostOutcome.classify(status: 429, body: [], retryAfter: nil) == .rateLimited(retryAfter: .seconds(1)))
        #expect(PostOutcome.classify(status: 429, body: [], retryAfter: "99999") == .rateLimited(retryAfter: .seconds(3600)))
        let now = Date(timeIntervalSince1970: 1_445_412_470)
        #expect(PostOutcome.classify(status: 429, body: [], retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT", now: now)
            == .rateLimited(retryAfter: .seconds(10)))
    }

    @Test func mattermostsErrorIDIsKeptForPermanentErrors() {
        let body = #"{"id":"web.incoming_webhook.invalid.app_error","message":"Invalid webhook.","detailed_error":"","request_id":"r1","status_code":400}"#
        #expect(PostOutcome.classify(status: 400, body: Array(body.utf8), retryAfter: nil)
            == .rejected(status: 400, errorID: "web.incoming_webhook.invalid.app_error", message: "Invalid webhook."))
        #expect(PostOutcome.classify(status: 404, body: [], retryAfter: nil) == .rejected(status: 404, errorID: nil, message: "HTTP 404"))
        if case .rejected(403, _, _) = PostOutcome.classify(status: 403, body: [], retryAfter: nil) {} else { Issue.record("403 is permanent") }
    }

    @Test(arguments: [500, 501, 502, 503, 408])
    func serverTroubleIsRetried(status: Int) {
        if case .failed = PostOutcome.classify(status: status, body: [], retryAfter: nil) {} else { Issue.record("\(status) should be retried") }
    }
}
