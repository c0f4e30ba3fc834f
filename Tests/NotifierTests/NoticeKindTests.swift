import Foundation
import LookoutTestSupport
import Testing
@testable import Notifier
import ZoomModel

@Suite struct NoticeKindTests {
    @Test(arguments: [
        ("participant_joined", NoticeKind.joined), ("participant_joined_guest", .joined),
        ("participant_left", .left), ("participant_left_breakout", .moved),
        ("participant_joined_waiting_room", .waiting), ("participant_admitted", .admitted),
        ("meeting_started", .meetingStarted), ("meeting_ended", .meetingEnded),
        ("sharing_started", .sharingStarted), ("sharing_ended", .sharingEnded),
        ("meeting_alert", .alert), ("incident_collective_disconnection", .incident), ("unknown_event", .other),
    ])
    func everyRecordedPayloadHasItsKind(fixture: String, kind: NoticeKind) throws {
        let event = try Fixture.event(fixture)
        #expect(NoticeKind(event) == kind)
        #expect(event.meeting.id == "85012345678")
        #expect(event.meeting.topic == "Biology 101 — Lecture")
        #expect(event.timestamp != nil)
    }

    /// What each leave reason makes: only the network is a disconnection; Client Close is the app
    /// being closed (most never come back), told as a leave with its reason.
    @Test(arguments: [
        ("participant_left_client_close", NoticeKind.left), ("participant_left_doc_br", .left),
        ("participant_left_move_plain", .left),
    ])
    func aLeaveIsToldByWhatItsReasonSays(fixture: String, kind: NoticeKind) throws {
        #expect(NoticeKind(try Fixture.event(fixture)) == kind)
    }

    @Test func aNetworkDropIsADisconnection() throws {
        #expect(NoticeKind(try ZoomEvent.decode(ZoomBodies.left("Ada", at: zoomTime(second: 2), reason: "Network connection error."))) == .disconnected)
        #expect(NoticeKind(try ZoomEvent.decode(ZoomBodies.left("Ada", at: zoomTime(second: 2), reason: "got disconnected from the meeting."))) == .disconnected)
    }

    @Test(arguments: [
        (String?("Ada left the meeting. Reason : left the meeting to join breakout room"), RoomMove.toBreakoutRoom),
        ("Ada left the meeting. Reason : left the meeting leave breakout room to join main meeting", .toMainRoom),
        ("Ada left the meeting. Reason : left the meeting", .betweenRooms),
        (nil, .betweenRooms),
    ])
    func aMoveSaysWhereWhenItsReasonTells(reason: String?, move: RoomMove) {
        #expect(RoomMove(reason: reason) == move)
    }

    @Test func theNotifierKnowsAParticipantAndAnOccurrenceAsZoomModelDoes() throws {
        let event = try Fixture.event("participant_joined")
        let participant = try #require(event.participant)
        #expect(participant.name == "Jill Chill")
        #expect(participant.email == "jill@example.edu")
        #expect(participant.attendee == "55555AAAiAAAAAiAiAiiAii")
        #expect(participant.joinTime == iso("2026-11-22T08:01:02Z"))
        #expect(event.meeting.instance == "4444AAAiAAAAAiAiAiiAii==")
        #expect(try Fixture.event("participant_joined_guest").participant?.attendee == "16779264")
        #expect(try Fixture.event("participant_joined_waiting_room").meeting.id == "85012345678")
    }

    @Test func readsMeetingTimesSharingAlertAndIncidentDetails() throws {
        let ended = try Fixture.event("meeting_ended")
        #expect(ended.meeting.endTime == iso("2026-11-22T09:00:00Z"))
        #expect(ended.meeting.duration == 60)
        #expect(try Fixture.event("sharing_started").participant?.sharingContent == "application")
        #expect(try Fixture.event("sharing_started").participant?.dateTime == iso("2026-11-22T08:10:00Z"))
        #expect(try Fixture.event("meeting_alert").issues == ["Unstable audio quality", "Unstable video quality"])
        let incident = try #require(try Fixture.event("incident_collective_disconnection").incident)
        #expect(incident.size == 3)
        #expect(incident.participants.map(\.name) == ["Jill Chill", "Ada Lovelace", "Grace Hopper"])
        #expect(incident.startedAt == iso("2026-11-22T08:44:20Z"))
        #expect(incident.endedAt == iso("2026-11-22T08:44:50Z"))
    }

    @Test func anIncidentMayListParticipantObjectsAndAReason() throws {
        let body = #"{"event":"lookout.incident.collective_disconnection","payload":{"object":{"id":"1","incident":{"count":12,"reason":"Network connection error.","participants":[{"user_name":"Jill","email":"jill@example.edu"}]}}}}"#
        let incident = try #require(try ZoomEvent.decode(Array(body.utf8)).incident)
        #expect(incident.size == 12)
        #expect(incident.participants.map(\.email) == ["jill@example.edu"])
        #expect(incident.reason == "Network connection error.")
    }

    @Test(arguments: ["not json", #"["an","array"]"#, #"{"payload":{}}"#, #"{"event":""}"#])
    func somethingThatIsNotAnEventIsRefused(body: String) {
        #expect(throws: ZoomEventError.self) { try ZoomEvent.decode(Array(body.utf8)) }
    }
}
