import Foundation
import Testing
@testable import Projections
import ZoomModel

@Suite struct ExportTableTests {
    /// Every export a table's snapshot renders, as text.
    static func rendered(_ snapshot: ProjectionSnapshot) -> [String] {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var json = ""
        do { json = String(decoding: try ExportJSON.render(snapshot, privacy: .everyone, windowSeconds: 60, now: now), as: UTF8.self) }
        catch { Issue.record(error) }
        return [DashboardCSV.render(snapshot.presence, timeZone: .gmt, privacy: .everyone),
                ZohoCSV.disconnections(snapshot, privacy: .everyone),
                ZohoCSV.incidents(snapshot, privacy: .everyone, windowSeconds: 60),
                json]
    }

    static func changes(_ update: Projector.Update, meetings: [MeetingSummary] = []) -> ProjectionChanges {
        ProjectionChanges(presence: update.presence, incidents: update.incidents, meetings: meetings)
    }

    @Test func changesAppliedInTurnRenderWhatOneFullReadRenders() throws {
        let facts = try DemoSession.facts()
        let full = DemoSession.fullUpdate(facts)
        var table = ExportTable()
        // The class as a store would have it after each tenth of the facts, each read changing a part.
        for end in stride(from: facts.count / 10, through: facts.count, by: max(1, facts.count / 10)) {
            table.apply(Self.changes(DemoSession.fullUpdate(Array(facts[..<end]))))
        }
        table.apply(Self.changes(full))
        #expect(Self.rendered(table.snapshot) == Self.rendered(ExportTable(Self.changes(full)).snapshot))
        // The same files as a snapshot of the same rows. Rows come out in `_id` order: the JSON
        // presence list orders two people of one name in one meeting as it receives them, which a
        // full read left to the store's natural order.
        let snapshot = ProjectionSnapshot(presence: full.presence.sorted { $0.id < $1.id }, disconnections: full.disconnections,
                                          incidents: full.incidents.flatMap(\.incidents))
        #expect(Self.rendered(table.snapshot) == Self.rendered(snapshot))
        let shuffled = ProjectionSnapshot(presence: full.presence.reversed(), disconnections: full.disconnections.reversed(),
                                          incidents: full.incidents.flatMap(\.incidents))
        #expect(Self.rendered(table.snapshot).prefix(3) == Self.rendered(shuffled).prefix(3))
    }

    @Test func aLaterDocumentReplacesTheRowItHadAndOthersStay() throws {
        let facts = try DemoSession.facts()
        let early = DemoSession.fullUpdate(facts.filter { $0.at < utc(8, 20, 50) })
        var table = ExportTable(Self.changes(early))
        #expect(table.snapshot.incidents.count == 1)
        #expect(table.snapshot.incidents.first?.participants.count == 3)
        // A meeting's incidents come as one document: it replaces the meeting's incidents whole.
        table.apply(ProjectionChanges(incidents: [MeetingIncidents(id: early.incidents[0].id, meetingID: "85012345678", incidents: [], factCount: 99)]))
        #expect(table.snapshot.incidents.isEmpty)
        #expect(table.snapshot.presence == early.presence)
        let someone = try #require(early.presence.first)
        let moved = DemoSession.fullUpdate(facts).presence.first { $0.id == someone.id }!
        table.apply(ProjectionChanges(presence: [moved]))
        #expect(table.snapshot.presence.count == early.presence.count)
        #expect(table.snapshot.presence.first { $0.id == someone.id } == moved)
    }

    @Test func meetingsAndAlertsAreKeptByID() {
        let meeting = MeetingSummary(id: "uuid-1", meetingID: "1", topic: "BIO101", hostID: nil, startedAt: nil, endedAt: nil,
                                     peakParticipants: 3)
        let ended = MeetingSummary(id: "uuid-1", meetingID: "1", topic: "BIO101", hostID: nil, startedAt: nil,
                                   endedAt: BSONDate(milliseconds: 5000), peakParticipants: 4)
        let alert = QualityAlert(id: "a1", meetingID: "1", meetingUUID: "uuid-1", topic: nil, at: BSONDate(milliseconds: 1), issues: ["x"])
        var table = ExportTable(ProjectionChanges(meetings: [meeting], alerts: [alert]))
        table.apply(ProjectionChanges(meetings: [ended], alerts: [alert]))
        #expect(table.snapshot.meetings == [ended])
        #expect(table.snapshot.alerts == [alert])
    }
}

@Suite struct ChangeCursorTests {
    @Test func readsEverythingFirstThenChangesSinceThePreviousReadLessTheOverlap() {
        var cursor = ChangeCursor(overlapMilliseconds: 10_000, fullReadEveryMilliseconds: 600_000)
        #expect(cursor.since(now: BSONDate(milliseconds: 1_000_000)) == nil)
        cursor.didRead(startedAt: BSONDate(milliseconds: 1_000_000), full: true)
        #expect(cursor.since(now: BSONDate(milliseconds: 1_002_000)) == BSONDate(milliseconds: 990_000))
        cursor.didRead(startedAt: BSONDate(milliseconds: 1_002_000), full: false)
        #expect(cursor.since(now: BSONDate(milliseconds: 1_004_500)) == BSONDate(milliseconds: 992_000))
    }

    @Test func readsEverythingAgainOnceTheIntervalHasPassed() {
        var cursor = ChangeCursor(overlapMilliseconds: 10_000, fullReadEveryMilliseconds: 600_000)
        cursor.didRead(startedAt: BSONDate(milliseconds: 0), full: true)
        cursor.didRead(startedAt: BSONDate(milliseconds: 599_000), full: false)
        #expect(cursor.since(now: BSONDate(milliseconds: 599_999)) == BSONDate(milliseconds: 589_000))
        #expect(cursor.since(now: BSONDate(milliseconds: 600_000)) == nil)
        cursor.didRead(startedAt: BSONDate(milliseconds: 600_000), full: true)
        #expect(cursor.since(now: BSONDate(milliseconds: 601_000)) == BSONDate(milliseconds: 590_000))
    }

    @Test func aFailedReadIsRetriedFromTheSamePoint() {
        var cursor = ChangeCursor(overlapMilliseconds: 5000, fullReadEveryMilliseconds: 600_000)
        cursor.didRead(startedAt: BSONDate(milliseconds: 100_000), full: true)
        // No didRead after a failure: the next attempt starts from the same place.
        #expect(cursor.since(now: BSONDate(milliseconds: 110_000)) == BSONDate(milliseconds: 95_000))
        #expect(cursor.since(now: BSONDate(milliseconds: 150_000)) == BSONDate(milliseconds: 95_000))
    }
}

@Suite struct InstanceTimelineTests {
    let rules = LeaveRules()

    func timelines(_ facts: [AttendanceFact]) -> [Projector.Timeline] {
        InstanceTimeline.entries(of: facts, rules: rules).map { Projector.Timeline(instance: $0.key, meetingID: "1", topic: nil, entries: $0.value) }
    }

    @Test func entriesReadBackWhateverTheAttendeeAndNameHold() {
        let fact = AttendanceFact(id: "f", meetingID: "1", meetingUUID: "u|1", attendee: "a|b c", name: "A % B|C", kind: .leave,
                                  at: BSONDate(milliseconds: 1_234), leaveReason: "A left the meeting. Reason : Network connection error.")
        let entry = try! #require(InstanceTimeline.entry(fact, rules: rules))
        #expect(entry == "1234|l|n|-|a%7Cb c|A %25 B%7CC")
        #expect(InstanceTimeline.parse(entry) == .init(at: 1234, kind: .leave, reason: .network, participantUUID: nil,
                                                       attendee: "a|b c", name: "A % B|C"))
        // Written before issue 13: still read, as a plain leave.
        #expect(InstanceTimeline.parse("1234|l|a|b c") == .init(at: 1234, kind: .leave, reason: .plain, participantUUID: nil,
                                                                attendee: "a|b c", name: "a|b c"))
        #expect(InstanceTimeline.parse("x|j|a") == nil)
        #expect(InstanceTimeline.parse("12|x|a") == nil)
        #expect(InstanceTimeline.parse("12") == nil)
    }

    @Test func anEmptyUUIDNamesTheInstanceByMeetingIDAsTheLifecycleDoes() {
        let fact = AttendanceFact(id: "f", meetingID: "1", meetingUUID: "", attendee: "a", participantUUID: "a", name: "A", kind: .join,
                                  at: BSONDate(milliseconds: 1))
        #expect(fact.instance == "1")
        #expect(InstanceTimeline.entries(of: [fact, fact], rules: rules) == ["1": ["1|j|-|u|a|A"]])
    }

    @Test func thePeakCountsPeopleInAnyOrderWithRepeats() throws {
        let facts = try DemoSession.facts()
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<10 {
            let delivered = (facts + facts.prefix(5)).shuffled(using: &generator)
            let update = Projector.update(groupFacts: [], timelines: timelines(delivered), rules: ProjectionRules())
            #expect(update.peaks.map(\.participants) == [6])
            // The version counts distinct joins and leaves, as `fact_count` counts facts.
            #expect(update.peaks.map(\.factCount) == [facts.count])
        }
    }

    @Test func aLateLeaveLowersThePeakItHadRaised() {
        func fact(_ who: String, _ kind: AttendanceFact.Kind, _ second: Int64) -> AttendanceFact {
            AttendanceFact(id: "\(who)\(kind)\(second)", meetingID: "1", meetingUUID: "u", attendee: who, name: who, kind: kind,
                           at: BSONDate(milliseconds: second * 1000))
        }
        let before = [fact("a", .join, 0), fact("b", .join, 20)]
        let peak = { (facts: [AttendanceFact]) in
            Projector.update(groupFacts: [], timelines: timelines(facts), rules: ProjectionRules()).peaks
        }
        #expect(peak(before).map(\.participants) == [2])
        // a's leave at 10 s arrives last: a and b were never in together.
        #expect(peak(before + [fact("a", .leave, 10)]).map(\.participants) == [1])
        #expect(peak(before + [fact("a", .leave, 10)]).map(\.factCount) == [3])
        // A move (leave and join of one connection in the same second) keeps the person in.
        #expect(peak(before + [fact("a", .leave, 30), fact("a", .join, 30)]).map(\.participants) == [2])
        // A visit of no length (join and leave in the same second) is not a stay.
        #expect(peak([fact("c", .join, 5), fact("c", .leave, 5), fact("d", .join, 6)]).map(\.participants) == [1])
    }
}

@Suite struct InstanceMergeTests {
    /// A `meetings` document as the per-event updates leave it, applied one by one.
    struct Document: Equatable {
        var meetingID: String?, topic: String?, hostID: String?, startedAt: BSONDate?, endedAt: BSONDate?
        var timeline: Set<String> = []
    }

    static func oneByOne(_ inputs: [ProjectionInput]) -> [String: Document] {
        var documents: [String: Document] = [:]
        for input in inputs {
            guard let lifecycle = input.lifecycle else { continue }
            var document = documents[lifecycle.instance] ?? Document()
            document.meetingID = lifecycle.meetingID
            if let topic = lifecycle.topic { document.topic = topic }
            if let host = lifecycle.hostID { document.hostID = host }
            if let started = lifecycle.startedAt { document.startedAt = min(document.startedAt ?? started, started) }
            if let ended = lifecycle.endedAt { document.endedAt = max(document.endedAt ?? ended, ended) }
            if case .attendance(let fact, _) = input, let entry = InstanceTimeline.entry(fact, rules: LeaveRules()) { document.timeline.insert(entry) }
            documents[lifecycle.instance] = document
        }
        return documents
    }

    static func merged(_ inputs: [ProjectionInput], into documents: [String: Document] = [:]) -> [String: Document] {
        var documents = documents
        for merge in InstanceMerge.of(inputs, rules: LeaveRules()) {
            var document = documents[merge.instance] ?? Document()
            document.meetingID = merge.meetingID
            if let topic = merge.topic { document.topic = topic }
            if let host = merge.hostID { document.hostID = host }
            if let started = merge.startedAt { document.startedAt = min(document.startedAt ?? started, started) }
            if let ended = merge.endedAt { document.endedAt = max(document.endedAt ?? ended, ended) }
            document.timeline.formUnion(merge.timeline)
            documents[merge.instance] = document
        }
        return documents
    }

    @Test func oneUpdatePerInstanceLeavesWhatOneUpdatePerEventLeft() throws {
        let inputs = try DemoSession.inputs()
        let merges = InstanceMerge.of(inputs + inputs.prefix(6), rules: LeaveRules())
        #expect(merges.count == 1)
        #expect(merges[0].timeline.count == Set(try DemoSession.facts().compactMap { InstanceTimeline.entry($0, rules: LeaveRules()) }).count)
        #expect(Self.merged(inputs + inputs.prefix(6)) == Self.oneByOne(inputs))
        // Whatever the batches and their order.
        var generator = SeededGenerator(seed: 3)
        for _ in 0..<10 {
            let shuffled = inputs.shuffled(using: &generator)
            let cut = Int.random(in: 0...shuffled.count, using: &generator)
            let twoBatches = Self.merged(Array(shuffled[cut...]), into: Self.merged(Array(shuffled[..<cut])))
            #expect(twoBatches.mapValues(\.timeline) == Self.oneByOne(inputs).mapValues(\.timeline))
            #expect(twoBatches.mapValues(\.startedAt) == Self.oneByOne(inputs).mapValues(\.startedAt))
            #expect(twoBatches.mapValues(\.endedAt) == Self.oneByOne(inputs).mapValues(\.endedAt))
        }
    }
}
