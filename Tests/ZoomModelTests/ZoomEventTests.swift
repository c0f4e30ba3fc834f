import Foundation
import Testing
@testable import ZoomModel

@Suite struct ZoomEventDecoding {
    @Test func aPlainMoveLeaveWithANumericIDAndANullRegistrant() throws {
        let event = try ZoomEvent.decode(try Fixture.bytes("participant_left_move_plain"))
        #expect(event.name == ZoomEventName.participantLeft)
        #expect(event.eventTS == 1_788_080_449_120)
        #expect(event.meeting.id == "86712345678")
        #expect(event.meeting.instance == "4444AAAiAAAAAiAiAiiAii==")
        #expect(event.participant?.registrantID == nil)
        #expect(event.participant?.email == "")
        #expect(event.participant?.attendee == "9C1D7E0A-5F2B-4C11-8E3A-2A1B3C4D5E6F")
        #expect(event.participant?.leaveTime == Date(timeIntervalSince1970: 1_788_080_449))
    }

    @Test func aBreakoutRoomEventCarriesTheRoomAndTheParent() throws {
        let event = try ZoomEvent.decode(try Fixture.bytes("participant_joined_breakout_room"))
        #expect(event.meeting.breakoutRoomUUID == "7DtWb0e1SQmJv0bpQ9eYCg==")
        #expect(event.participant?.parentUserID == "16778241")
        #expect(event.participant?.userID == "167782402026-08-30 09:00:49:000")
    }

    @Test func aBodyThatIsNotAnEventIsRefused() {
        #expect(throws: ZoomEventError.self) { try ZoomEvent.decode(Array("[1,2]".utf8)) }
        #expect(throws: ZoomEventError.self) { try ZoomEvent.decode(Array(#"{"event":""}"#.utf8)) }
        #expect(throws: ZoomEventError.self) { try ZoomEvent.decode(Array("not json".utf8)) }
    }

    @Test func fieldsOfAnotherTypeReadAsAbsent() throws {
        let body = #"{"event":"meeting.participant_joined","event_ts":"soon","payload":{"object":{"id":{"x":1},"participant":{"user_name":42,"join_time":"yesterday"}}}}"#
        let event = try ZoomEvent.decode(Array(body.utf8))
        #expect(event.eventTS == nil)
        #expect(event.meeting.id == "")
        #expect(event.participant?.name == "42")
        #expect(event.participant?.joinTime == nil)
    }

    @Test func anEncodedEventDecodesToItself() throws {
        var event = try ZoomEvent.decode(try Fixture.bytes("participant_left_doc_br"))
        event.incident = nil
        let again = try ZoomEvent.decode(try event.encoded())
        #expect(again == event)
        #expect(try again.encoded() == event.encoded())
    }

    @Test func anIncidentListsNamesOrParticipants() throws {
        let body = #"{"event":"lookout.incident.collective_disconnection","event_ts":1,"payload":{"object":{"id":"1","incident":{"participants":["Ada",{"user_name":"Grace"}],"participant_count":3}}}}"#
        let incident = try #require(try ZoomEvent.decode(Array(body.utf8)).incident)
        #expect(incident.participants.map(\.name) == ["Ada", "Grace"])
        #expect(incident.size == 3)
    }
}

@Suite struct LeaveReasons {
    @Test(arguments: [
        ("Ada left the meeting. Reason : left the meeting to join breakout room", "left the meeting to join breakout room"),
        ("Jill Chill left the meeting.<br>Reason: Host ended the meeting.", "Host ended the meeting"),
        ("李小龍 got disconnected from the meeting. Reason : Client Close.", "Client Close"),
        ("got disconnected from the meeting. Reason : Network connection error.", "Network connection error"),
        ("left the meeting", "left the meeting"),
    ])
    func theReasonIsTheTextAfterThePreamble(raw: String, text: String) {
        #expect(LeaveReason(raw)?.text == text)
    }

    @Test func bothDocumentedFormsClassifyAlike() {
        let rules = LeaveRules()
        #expect(rules.reasonClass("Jill left the meeting.<br>Reason: Host ended the meeting.") == .hostEnded)
        #expect(rules.reasonClass("Jill left the meeting. Reason : Host ended the meeting.") == .hostEnded)
        #expect(rules.reasonClass("Jill got disconnected from the meeting. Reason : Client Close.") == .appClosed)
        #expect(rules.reasonClass("Jill got disconnected from the meeting.") == .network)
        #expect(rules.reasonClass("Jill left the meeting. Reason : left the meeting leave breakout room to join main meeting") == .move)
        #expect(rules.reasonClass("Jill left the meeting. Reason : left the meeting") == .plain)
        #expect(rules.reasonClass(nil) == .plain)
    }
}
