import Foundation
import Testing
import ZoomModel
@testable import LookoutBench

/// `lookout-bench events`: what ops/chaos and ops/cluster-test replay, and their verdicts count.
@Suite struct EventsCommandTests {
    let generator = JoinLeaveEvents(run: "chaos", firstMeeting: 85_000_000_000, firstUserID: 16_000_000, meetings: 20, now: 1_795_334_462)

    @Test func evenIndexesJoinAndTheNextOneLeaves30SecondsLaterWithTheSameParticipant() throws {
        let join = generator.event(14), leave = generator.event(15)
        #expect(join.name == "meeting.participant_joined")
        #expect(leave.name == "meeting.participant_left")
        #expect(join.accountID == "chaos")
        #expect(join.meeting.id == "85000000007")
        #expect(join.meeting.uuid == "chaos-85000000007")
        #expect(join.meeting.topic == "Chaos class 85000000007")
        #expect(join.participant?.name == "chaos-7")
        #expect(join.participant?.participantUUID == "chaos-7")
        #expect(join.participant?.userID == "16000007")
        #expect(leave.participant?.participantUUID == join.participant?.participantUUID)
        let joined = try #require(join.participant?.joinTime), left = try #require(leave.participant?.leaveTime)
        #expect(joined == Date(timeIntervalSince1970: 1_795_334_462 - 3600 + 7))
        #expect(left.timeIntervalSince(joined) == 30)
        #expect(leave.participant?.leaveReason == "chaos-7 left the meeting. Reason : left the meeting")
        #expect(join.participant?.leaveReason == nil)
        let eventTS: Int64 = (1_795_334_462 - 3600) * 1000 + 14
        #expect(join.eventTS == eventTS)
    }

    @Test func everyEventIsDistinctAndReadsBackAsTheSameEvent() throws {
        let events = generator.events(count: 1000)
        let bodies = try events.map { try $0.encoded() }
        #expect(Set(bodies).count == 1000)
        #expect(Set(events.map(\.meeting.id)).count == 20)
        for (event, body) in zip(events, bodies) {
            #expect(try ZoomEvent.decode(body) == event)
        }
        // The wire names the verdicts read.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bodies[1])) as? [String: Any])
        let payload = try #require(object["payload"] as? [String: Any])
        #expect(payload["account_id"] as? String == "chaos")
        let participant = try #require((payload["object"] as? [String: Any])?["participant"] as? [String: Any])
        #expect(participant["user_name"] as? String == "chaos-0")
        #expect(participant["leave_time"] as? String == "2026-11-22T07:01:32Z")
    }
}
