import Foundation
import Testing
@testable import Notifier

@Suite struct ZoomEventTests {
    @Test(arguments: [
        ("participant_joined", NoticeKind.joined), ("participant_joined_guest", .joined),
        ("participant_left", .disconnected), ("participant_left_breakout", .left),
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

    @Test func readsTheParticipantOfAJoin() throws {
        let event = try Fixture.event("participant_joined")
        let participant = try #require(event.participant)
        #expect(participant.name == "Jill Chill")
        #expect(participant.email == "jill@example.edu")
        #expect(participant.key == "55555AAAiAAAAAiAiAiiAii")
        #expect(participant.joinTime == iso("2026-11-22T08:01:02Z"))
        #expect(event.meeting.instanceKey == "85012345678|4444AAAiAAAAAiAiAiiAii==")
    }

    @Test func aGuestWithoutParticipantUUIDIsKnownByUserID() throws {
        let participant = try #require(try Fixture.event("participant_joined_guest").participant)
        #expect(participant.key == "16779264")
    }

    @Test func aNumericMeetingIDReadsAsText() throws {
        #expect(try Fixture.event("participant_joined_waiting_room").meeting.id == "85012345678")
    }

    @Test func readsMeetingTimesSharingAlertAndIncidentDetails() throws {
        let ended = try Fixture.event("meeting_ended")
        #expect(ended.meeting.endTime == iso("2026-11-22T09:00:00Z"))
        #expect(ended.meeting.scheduledMinutes == 60)
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

    @Test func fieldsOfUnexpectedTypesAreIgnoredNotFatal() throws {
        let body = #"{"event":"meeting.started","event_ts":"soon","payload":{"object":{"id":12,"topic":42,"start_time":"yesterday","participant":"nobody"}}}"#
        let event = try ZoomEvent.decode(Array(body.utf8))
        #expect(event.meeting.id == "12")
        #expect(event.meeting.topic == "42")
        #expect(event.meeting.startTime == nil)
        #expect(event.participant == nil)
        #expect(event.timestamp == nil)
    }

    @Test(arguments: ["not json", #"["an","array"]"#, #"{"payload":{}}"#, #"{"event":""}"#])
    func somethingThatIsNotAnEventIsRefused(body: String) {
        #expect(throws: NoticeError.self) { try ZoomEvent.decode(Array(body.utf8)) }
    }

    @Test func leaveReasonsAreReadAndClassified() {
        let disconnected = LeaveReason("Jill left the meeting. Reason : got disconnected from the meeting. Reason : Client Close.")
        #expect(disconnected?.text == "got disconnected from the meeting (Client Close)")
        #expect(disconnected?.isDisconnection == true)
        let breakout = LeaveReason("Ada left the meeting. Reason : left the meeting to join breakout room")
        #expect(breakout?.isBreakoutMove == true)
        #expect(breakout?.isDisconnection == false)
        #expect(LeaveReason("Network connection error.")?.isDisconnection == true)
        #expect(LeaveReason("Host ended the meeting.")?.text == "Host ended the meeting")
        #expect(LeaveReason("Host ended the meeting.")?.isDisconnection == false)
        #expect(LeaveReason(nil) == nil)
        #expect(LeaveReason("  ") == nil)
    }
}
