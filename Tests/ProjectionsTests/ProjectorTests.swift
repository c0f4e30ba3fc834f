import Foundation
import Testing
@testable import Projections
import ZoomModel

@Suite struct ProjectorTests {
    @Test func decodesEveryRecordedEventKind() throws {
        let inputs = try DemoSession.inputs()
        #expect(inputs.count == 24)
        #expect(inputs.filter { if case .attendance = $0 { true } else { false } }.count == 20)
        #expect(inputs.filter { if case .lifecycle = $0 { true } else { false } }.count == 2)
        #expect(inputs.filter { if case .alert = $0 { true } else { false } }.count == 1)
        #expect(inputs.filter { if case .ignored = $0 { true } else { false } }.count == 1)  // sharing_started
    }

    @Test func presenceFollowsTheLatestFactsWhateverTheOrder() throws {
        let facts = try DemoSession.facts()
        let ordered = DemoSession.fullUpdate(facts)
        for seed in 0..<20 {
            var generator = SeededGenerator(seed: UInt64(seed))
            #expect(DemoSession.fullUpdate(facts.shuffled(using: &generator)) == ordered)
        }
        let presence = Dictionary(uniqueKeysWithValues: ordered.presence.map { ($0.name, $0) })
        // One row per person: Alan's reconnect under a new participant record is the same person.
        #expect(presence.count == 6)
        #expect(presence.values.allSatisfy { !$0.inRoom })
        let katherine = try #require(presence["Katherine Johnson"])
        // Dropped at 08:20:20 and back at 08:21:30 (within bounce_seconds): one stay, the gap not counted.
        #expect(katherine.sessionCount == 1)
        #expect(katherine.lastJoin == utc(8, 2, 0))
        #expect(katherine.lastLeft == utc(8, 59, 50))
        #expect(katherine.secondsInRoom == (18 * 60 + 20) + (38 * 60 + 20))
        // The breakout move does not end Edsger's stay.
        let edsger = try #require(presence["Edsger Dijkstra"])
        #expect(edsger.sessionCount == 1)
        #expect(edsger.moves == 1)
        #expect(edsger.secondsInRoom == (12 * 60 + 30) + (44 * 60 + 45))
        let alan = try #require(presence["Alan Turing"])
        #expect(alan.connections == 2)
        #expect(alan.sessionCount == 1)
        #expect(presence["@channel **Guest** <b>"]?.attendee == "16790000")
    }

    @Test func aLateLeaveDoesNotFlipSomeoneWhoRejoined() throws {
        let facts = try DemoSession.facts().filter { $0.attendee == "u-kath" && $0.at < utc(8, 30, 0) }
        let presence = try #require(DemoSession.fullUpdate(facts).presence.first)
        #expect(presence.inRoom)
        #expect(presence.inRoomSince == utc(8, 2, 0))
        #expect(presence.connectedSince == utc(8, 21, 30))
        #expect(presence.sessions.map(\.leftAt) == [nil])
        #expect(presence.secondsInRoom(at: utc(8, 22, 30)) == 18 * 60 + 20 + 60)
    }

    @Test func networkDropsAreFoundAndBouncesMeasuredByName() throws {
        let drops = DemoSession.fullUpdate(try DemoSession.facts()).disconnections.sorted { $0.at < $1.at }
        #expect(drops.map(\.name) == ["Alan Turing", "Katherine Johnson", "Grace Hopper"])
        #expect(drops.map(\.bounced) == [true, true, false])
        #expect(drops.allSatisfy { $0.kind == .networkDrop })
        // Alan came back under a new participant record: matched by name.
        #expect(drops.map(\.returnedAt) == [utc(8, 20, 45), utc(8, 21, 30), utc(8, 31, 0)])
    }

    @Test func breakoutMovesAndNormalLeavesAreNotDisconnections() {
        let rules = ProjectionRules().leaves
        #expect(rules.reasonClass("Edsger left the meeting. Reason : left the meeting to join breakout room") == .move)
        #expect(rules.reasonClass("X left the meeting. Reason : left the meeting leave breakout room to join main meeting") == .move)
        #expect(rules.reasonClass("X left the meeting. Reason : left the meeting") == .plain)
        #expect(rules.reasonClass("X left the meeting. Reason : Host ended the meeting.") == .hostEnded)
        #expect(rules.reasonClass(nil) == .plain)
        #expect(rules.reasonClass("X left the meeting. Reason : got disconnected from the meeting. Reason : Client Close.") == .appClosed)
        #expect(rules.reasonClass("Network connection error.") == .network)
    }

    @Test func threeDropsWithinTheWindowMakeOneIncident() throws {
        let update = DemoSession.fullUpdate(try DemoSession.facts())
        let incidents = update.incidents.flatMap(\.incidents)
        #expect(incidents.count == 1)
        let incident = try #require(incidents.first)
        #expect(incident.startedAt == utc(8, 20, 0))
        #expect(incident.endedAt == utc(8, 20, 40))
        #expect(incident.participants == ["Alan Turing", "Katherine Johnson", "Grace Hopper"])
        #expect(update.peaks.map(\.participants) == [6])
    }

    @Test func incidentThresholdWindowAndExtension() {
        func drop(_ who: String, _ second: Int) -> InstanceTimeline.Entry {
            InstanceTimeline.Entry(at: Int64(second) * 1000, kind: .leave, reason: .network, participantUUID: nil, attendee: who, name: who)
        }
        let rules = ProjectionRules(collectiveThreshold: 3, collectiveWindowSeconds: 60)
        func detect(_ drops: [InstanceTimeline.Entry]) -> [CollectiveIncident] {
            CollectiveIncident.detect(instance: "i", meetingID: "m1", topic: nil, timeline: drops, rules: rules)
        }
        #expect(detect([drop("a", 0), drop("b", 30)]).isEmpty)
        #expect(detect([drop("a", 0), drop("b", 50), drop("c", 100)]).isEmpty)
        #expect(detect([drop("a", 0), drop("a", 10), drop("a", 20)]).isEmpty)
        let extended = detect([drop("d", 95), drop("a", 0), drop("b", 20), drop("c", 40), drop("e", 400)])
        #expect(extended.count == 1)
        #expect(extended.first?.participants == ["a", "b", "c", "d"])
        #expect(extended.first?.endedAt == BSONDate(milliseconds: 95_000))
    }

    @Test func incidentsInTwoMeetingsAtOnceArePlatformWide() {
        func incident(_ meeting: String, _ start: Int64, _ end: Int64) -> CollectiveIncident {
            CollectiveIncident(id: "\(meeting)|\(start)", meetingID: meeting, topic: nil, startedAt: BSONDate(milliseconds: start * 1000),
                               endedAt: BSONDate(milliseconds: end * 1000), participants: ["x", "y", "z"])
        }
        let snapshot = ProjectionSnapshot(incidents: [incident("m1", 0, 30), incident("m2", 70, 90), incident("m3", 1000, 1010)])
        #expect(snapshot.platformWideIncidentIDs(windowSeconds: 60) == ["m1|0", "m2|70"])
        #expect(snapshot.platformWideIncidentIDs(windowSeconds: 10).isEmpty)
    }

    @Test func meetingFilterSelectsClasses() throws {
        let filter = MeetingFilter(topics: ["biology *"], hostIDs: ["host-9"])
        #expect(filter.matches(meetingID: "1", topic: "Biology 101 — Demo lecture", hostID: "host-9"))
        #expect(!filter.matches(meetingID: "1", topic: "Biology 101 — Demo lecture", hostID: nil))
        #expect(!filter.matches(meetingID: "2", topic: "Staff meeting", hostID: "host-9"))
        let rules = ProjectionRules(meetings: MeetingFilter(topics: ["Chemistry*"]))
        #expect(try DemoSession.inputs(rules: rules).allSatisfy { if case .ignored = $0 { true } else { false } })
    }

    @Test func rulesFileKeepsDefaultsAndNamesBadFields() throws {
        let rules = try JSONDecoder().decode(ProjectionRules.self, from: Data(#"{"collective_threshold": 5, "meetings": {"ids": ["1"]}, "disconnection_kinds": ["network_drop"]}"#.utf8))
        #expect(rules.collectiveThreshold == 5)
        #expect(rules.collectiveWindowSeconds == 60)
        #expect(rules.meetings.ids == ["1"])
        #expect(rules.leaves.disconnectionKinds == [.networkDrop])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ProjectionRules.self, from: Data(#"{"meetings": {"topic_patterns": ["("]}}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ProjectionRules.self, from: Data(#"{"disconnection_kinds": ["move"]}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ProjectionRules.self, from: Data(#"{"collective_threshold": 1}"#.utf8))
        }
    }

    @Test func zoomSendsIDsAsNumbersToo() throws {
        let body = #"{"event":"meeting.participant_joined","event_ts":1,"payload":{"object":{"id":85012345678,"participant":{"user_id":16778240,"user_name":"N","join_time":"2026-11-22T08:00:00.5Z"}}}}"#
        let input = try ProjectionInput.from(body: Array(body.utf8), id: "k", rules: ProjectionRules())
        guard case .attendance(let fact, let lifecycle) = input else { Issue.record("not attendance: \(input)"); return }
        #expect(fact.meetingID == "85012345678")
        #expect(fact.attendee == "16778240")
        #expect(fact.at == BSONDate(milliseconds: 1_795_334_400_500))
        #expect(lifecycle.instance == "85012345678")
    }

    /// A registered user's `user_id` (their attendee when Zoom gives no `participant_uuid`) comes
    /// back in the meeting's next instance. Their leave of Monday's class was lost and Tuesday's join
    /// too: the Monday join must not pair with the Tuesday leave into one day-long stay.
    @Test func aConnectionNeverSpansTwoInstances() {
        func fact(_ kind: AttendanceFact.Kind, _ instance: String, _ at: Int64) -> AttendanceFact {
            AttendanceFact(id: "\(instance)-\(kind)-\(at)", meetingID: "850", meetingUUID: instance, attendee: "user-17",
                           name: "Ada Lovelace", kind: kind, at: BSONDate(milliseconds: at), leaveReason: kind == .leave ? "left the meeting" : nil)
        }
        let monday: Int64 = 1_795_000_000_000, tuesday = monday + 86_400_000
        let facts = [fact(.join, "monday==", monday), fact(.leave, "tuesday==", tuesday + 3_600_000)]
        let ada = Projector.update(groupFacts: facts, timelines: [], rules: ProjectionRules()).presence[0]
        #expect(ada.sessionCount == 2)
        #expect(ada.secondsInRoom == 0, "neither connection has both ends known")
        #expect(ada.connections == 2, "one participant record in each instance")
        #expect(!ada.inRoom)
    }

    @Test func undecodableBodiesThrow() throws {
        #expect(throws: (any Error).self) { try ProjectionInput.from(body: Array("nope".utf8), id: "k", rules: ProjectionRules()) }
        #expect(throws: (any Error).self) { try ProjectionInput.from(body: Array("[]".utf8), id: "k", rules: ProjectionRules()) }
        // An event without a payload can never be projected, but it is an event: ignored, not dead-lettered.
        #expect(try ProjectionInput.from(body: Array(#"{"event":"meeting.started"}"#.utf8), id: "k", rules: ProjectionRules()) == .ignored("no meeting id"))
    }
}

/// Reproducible shuffles.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
