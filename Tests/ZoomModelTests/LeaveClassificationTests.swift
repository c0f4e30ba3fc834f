import Foundation
import Testing
@testable import ZoomModel

@Suite struct LeaveClassification {
    let rules = LeaveRules()
    let t: Int64 = 1_788_080_449_000

    func join(_ at: Int64, _ attendee: String = "u1", uuid: String? = "u1", instance: String = "i") -> Movement {
        Movement(at: at, direction: .join, instance: instance, attendee: attendee, participantUUID: uuid)
    }

    func leave(_ at: Int64, _ reason: ReasonClass = .plain, _ attendee: String = "u1", uuid: String? = "u1") -> Movement {
        Movement(at: at, direction: .leave, instance: "i", attendee: attendee, participantUUID: uuid, reason: reason)
    }

    @Test func aPlainLeaveWithAJoinOfTheSameParticipantInTheSameSecondIsAMove() {
        let out = leave(t + 120)
        #expect(rules.classify(out, among: [join(t - 600_000), out, join(t + 900)]) == .move)
        // Whichever order they arrived in: the set is what counts.
        #expect(rules.classify(out, among: [join(t + 900), out, join(t - 600_000)]) == .move)
    }

    @Test func theReasonAloneMakesAMove() {
        let out = leave(t, .move)
        #expect(rules.classify(out, among: [out]) == .move)
    }

    @Test func aNewParticipantUUIDInTheSameSecondIsAReconnectNotAMove() {
        let out = leave(t)
        #expect(rules.classify(out, among: [out, join(t + 400, "u2", uuid: "u2")]) == .left)
        #expect(rules.classify(out, among: [out, join(t + 4_000, "u2", uuid: "u2")]) == .reconnect)
    }

    @Test func withoutParticipantUUIDsTheSameSecondIsAMove() {
        let out = leave(t, .plain, "16778241", uuid: nil)
        #expect(rules.classify(out, among: [out, join(t, "16779265", uuid: nil)]) == .move)
    }

    @Test func aRejoinWithinTheBounceWindowIsAReconnectWhateverTheReason() {
        for reason in [ReasonClass.plain, .appClosed, .hostEnded] {
            let out = leave(t, reason)
            #expect(rules.classify(out, among: [out, join(t + 5_000, "u2", uuid: "u2")]) == .reconnect)
            #expect(rules.classify(out, among: [out, join(t + 121_000, "u2", uuid: "u2")]) != .reconnect)
        }
    }

    @Test func aRejoinInAnotherInstanceIsNoReconnect() {
        let out = leave(t)
        #expect(rules.classify(out, among: [out, join(t + 5_000, "u2", uuid: "u2", instance: "next")]) == .left)
    }

    @Test func networkDropAppClosedHostEndedAndLeft() {
        #expect(rules.classify(leave(t, .network), among: [join(t + 5_000, "u2", uuid: "u2")]) == .networkDrop)
        #expect(rules.classify(leave(t, .appClosed), among: []) == .appClosed)
        #expect(rules.classify(leave(t, .hostEnded), among: []) == .hostEnded)
        #expect(rules.classify(leave(t), among: []) == .left)
    }
}

@Suite struct MeetingFilters {
    @Test func everyGivenConditionMustHold() {
        let filter = MeetingFilter(ids: ["867 1234 5678"], topics: ["chem*"])
        #expect(filter.matches(meetingID: "86712345678", topic: "Chemistry 2B", hostID: nil))
        #expect(!filter.matches(meetingID: "86712345678", topic: "Biology", hostID: nil))
        #expect(!filter.matches(meetingID: "1", topic: "Chemistry 2B", hostID: nil))
        #expect(MeetingFilter().matches(meetingID: "1", topic: nil, hostID: nil))
    }

    @Test func theRetiredRegularExpressionKeysAreRefusedWithTheirReplacement() throws {
        let error = #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(MeetingFilter.self, from: Data(#"{"topic_patterns": ["^BIO"]}"#.utf8))
        }
        #expect("\(String(describing: error))".contains("replaced by topics"))
        let filter = try JSONDecoder().decode(MeetingFilter.self, from: Data(#"{"ids": [86712345678, "850 1"], "hosts": ["h"]}"#.utf8))
        #expect(filter.ids == ["86712345678", "8501"])
    }
}

@Suite struct PseudonymScheme {
    @Test func theSamePersonGetsTheSamePseudonymWhateverTheSpellingOfSpaceAndCase() {
        let pseudonyms = Pseudonyms(key: Array("a key of sixteen chars".utf8))
        let a = pseudonyms.name(for: "Ada  Lovelace")
        #expect(a == pseudonyms.name(for: "ada lovelace"))
        #expect(a != pseudonyms.name(for: "Grace Hopper"))
        #expect(a.hasPrefix("Participant ") && a.count == 18)
        #expect(a != Pseudonyms(key: Array("another key, also long".utf8)).name(for: "Ada Lovelace"))
    }

    @Test func aDisguisedParticipantLosesNameEmailAndTheNameInTheReason() {
        let pseudonyms = Pseudonyms(key: Array("a key of sixteen chars".utf8))
        var ada = ZoomEvent.Participant(name: "Ada", email: "ada@example.edu")
        ada.leaveReason = "Ada left the meeting. Reason : left the meeting"
        let shown = pseudonyms.disguise(ada)
        #expect(shown.email == nil)
        #expect(shown.leaveReason?.contains("Ada") == false)
        #expect(shown.name == pseudonyms.name(for: "Ada"))
    }
}
