import Foundation
import Projections
import Testing
import ZoomModel
@testable import Dashboard

@Suite struct RenderingTests {
    let snapshot: ProjectionSnapshot
    let context = PageContext(siteTitle: "Lookout", prefix: "", version: 7,
                              clock: DisplayClock(timeZone: .gmt, now: Fixture.now))

    init() throws { snapshot = try Fixture.snapshot() }

    func pages(_ privacy: ExportPrivacy = .everyone) throws -> [HTML] {
        [RoomPage.render(RoomReport.make(snapshot, privacy: privacy, now: Fixture.now), context: context),
         StabilityPage.render(StabilityReport.make(snapshot, privacy: privacy, now: Fixture.now, windowSeconds: 60), context: context),
         MeetingsPage.render(MeetingsReport.make(snapshot, privacy: privacy, now: Fixture.now), context: context),
         MeetingsPage.render(try MeetingReport.make(snapshot, meetingID: Fixture.chemistry, privacy: privacy, now: Fixture.now,
                                                    windowSeconds: 60), context: context)]
    }

    @Test func everyNameIsTextNeverMarkup() throws {
        #expect(HTML.escape(#"<a href="x" title='y'>&</a>"#) == "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;")
        let room = try pages()[0].description
        #expect(room.contains("@channel **Guest** &lt;b&gt;"))
        #expect(room.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        for page in try pages() {
            let html = page.description
            #expect(!html.contains("<b>"))
            #expect(!html.contains("alert(1)</script>"))
            // The page's own script tag is the only one.
            #expect(html.components(separatedBy: "<script").count == 2)
        }
    }

    @Test func timeInRoomCountsTheCurrentStayAndEarlierSessions() throws {
        let room = try #require(RoomReport.make(snapshot, privacy: .everyone, now: Fixture.now).rooms.first { $0.meetingID == Fixture.biology })
        // In the order their stays began: a reconnect or a room move does not start a new one.
        #expect(room.inRoom.map(\.name) == ["Ada Lovelace", "Alan Turing", "Katherine Johnson", "Edsger Dijkstra", "@channel **Guest** <b>"])
        let katherine = try #require(room.inRoom.first { $0.name == "Katherine Johnson" })
        #expect(katherine.inRoomSince == Fixture.date("2026-11-22T08:02:00Z"))
        // 08:02:00–08:20:20 before the drop, and 08:21:30–08:30:00 now: the 70 s away are not counted.
        #expect(katherine.secondsInRoom == (18 * 60 + 20) + (8 * 60 + 30))
        #expect(katherine.sessions == 1)
        #expect(katherine.breakoutRoom == nil)
        #expect(katherine.disconnections == 1)
        // Alan came back as a new participant record: still one person, both stays counted.
        let alan = try #require(room.inRoom.first { $0.name == "Alan Turing" })
        #expect(alan.secondsInRoom == (18 * 60 + 29) + (9 * 60 + 15))
        #expect(room.away == [RoomReport.Away(name: "Grace Hopper", droppedAt: Fixture.date("2026-11-22T08:20:40Z"))])
        #expect(room.recent.prefix(4).map(\.kind) == [.joined, .joined, .dropped, .dropped])
        // Edsger's breakout move is not a leave.
        #expect(room.recent.first { $0.name == "Edsger Dijkstra" && $0.kind != .joined } == nil)

        let html = RoomPage.room(room, context).description
        #expect(html.contains(#"data-since="\#(Int(katherine.inRoomSince.timeIntervalSince1970 * 1000))" data-base="-70">26 min</span>"#))
        #expect(html.contains(#"<time datetime="2026-11-22T08:01:02Z">08:01:02</time>"#))
        // The current stay alone, beside the time it began.
        #expect(html.contains(#"<time datetime="2026-11-22T08:02:00Z">08:02:00</time> <span class="stay">(<span class="counter" data-since="\#(Int(katherine.inRoomSince.timeIntervalSince1970 * 1000))" data-base="0">28 min</span>)</span>"#))
        #expect(html.contains("<td>Main room</td>"))
        #expect(html.contains("5 in the room"))
        #expect(DisplayClock.duration(45) == "45 s")
        #expect(DisplayClock.duration(12 * 60 + 59) == "12 min")
        #expect(DisplayClock.duration(3900) == "1 h 05 min")
    }

    @Test func roomsWithPeopleInThemComeFirst() {
        let rooms = RoomReport.make(snapshot, privacy: .everyone, now: Fixture.now).rooms
        #expect(rooms.map(\.meetingID) == [Fixture.biology, Fixture.chemistry, Fixture.physics])
        #expect(rooms.map(\.inRoom.count) == [5, 1, 0])
        // After the class nobody is in the room, and nobody is listed as "not back".
        let later = RoomReport.make(try! Fixture.snapshot(at: Fixture.date("2026-11-22T10:00:00Z")), privacy: .everyone,
                                    now: Fixture.date("2026-11-22T10:00:00Z"))
        #expect(later.rooms.first { $0.meetingID == Fixture.biology }?.inRoom.isEmpty == true)
        #expect(later.rooms.first { $0.meetingID == Fixture.biology }?.away.isEmpty == true)
    }

    @Test func platformWideIncidentsAreHighlighted() throws {
        let report = StabilityReport.make(snapshot, privacy: .everyone, now: Fixture.now, windowSeconds: 60)
        let flags = Dictionary(uniqueKeysWithValues: report.incidents.map { ($0.meetingID, $0.platformWide) })
        #expect(flags == [Fixture.biology: true, Fixture.chemistry: true, Fixture.physics: false])
        let html = StabilityPage.render(report, context: context).description
        for incident in report.incidents {
            let rect = #"<rect class="\#(incident.platformWide ? "incident platform-wide" : "incident")" data-incident="\#(HTML.escape(incident.id))""#
            #expect(html.contains(rect), "\(incident.meetingID)")
            let row = #"<tr class="\#(incident.platformWide ? "platform-wide" : "")" data-incident="\#(HTML.escape(incident.id))">"#
            #expect(html.contains(row), "\(incident.meetingID)")
        }
        #expect(html.components(separatedBy: #"<span class="badge platform-wide">"#).count == 3)
        // A filter keeps the flag: it is judged against every meeting.
        let biologyOnly = StabilityReport.make(snapshot, privacy: .everyone, now: Fixture.now, windowSeconds: 60,
                                               query: DashboardQuery(meetingID: Fixture.biology))
        #expect(biologyOnly.incidents.map(\.platformWide) == [true])
        // The timeline spans the class so far: from its start to now.
        #expect(biologyOnly.period == .init(from: Fixture.date("2026-11-22T08:00:00Z"), until: Fixture.now))
    }

    @Test func whoNeedsHelpIsSortedByDrops() {
        let report = StabilityReport.make(snapshot, privacy: .everyone, now: Fixture.now, windowSeconds: 60)
        #expect(report.participants.count == 9)
        let alan = report.participants.first { $0.name == "Alan Turing" }
        #expect(alan?.disconnections == 1)
        #expect(alan?.bounced == 1)
        #expect(alan?.longestAwaySeconds == 45)
        #expect(report.participants.first { $0.name == "Grace Hopper" }?.longestAwaySeconds == nil)
        #expect(report.alerts.map(\.issues) == [["Unstable audio quality", "Network latency"]])
        let window = StabilityReport.make(snapshot, privacy: .everyone, now: Fixture.now, windowSeconds: 60,
                                          query: DashboardQuery(since: Fixture.date("2026-11-22T08:00:00Z")))
        #expect(!window.participants.contains { $0.name == "Emmy Noether" })
        #expect(window.incidents.count == 2)
    }

    @Test func publicViewsShowOnlyAllowedNamesOrPseudonyms() throws {
        let allowed = ExportPrivacy(allowedNames: ["ada lovelace", "Alan Turing"])
        let room = RoomReport.make(snapshot, privacy: allowed, now: Fixture.now)
        #expect(room.rooms.flatMap(\.inRoom).map(\.name) == ["Ada Lovelace", "Alan Turing"])
        #expect(Set(room.rooms.flatMap(\.recent).map(\.name)) == ["Ada Lovelace", "Alan Turing"])
        let stability = StabilityReport.make(snapshot, privacy: allowed, now: Fixture.now, windowSeconds: 60)
        #expect(stability.participants.map(\.name) == ["Alan Turing"])
        let biology = try #require(stability.incidents.first { $0.meetingID == Fixture.biology })
        #expect(biology.participants == ["Alan Turing"])
        #expect(biology.participantCount == 3)

        let pseudonyms = ExportPrivacy(pseudonyms: Pseudonyms(key: Array("dashboard test key".utf8)))
        for page in try pages(pseudonyms) {
            for name in ["Ada Lovelace", "Katherine Johnson", "Guest", "Marie Curie", "alert(1)"] {
                #expect(!page.description.contains(name), "\(name)")
            }
        }
        #expect(try pages(pseudonyms)[0].description.contains(pseudonyms.displayName("Ada Lovelace")!))
    }

    @Test func meetingsShowDurationPeakAndWhetherTheyAreLive() throws {
        let live = MeetingsReport.make(snapshot, privacy: .everyone, now: Fixture.now).meetings
        let biology = try #require(live.first { $0.meetingID == Fixture.biology })
        #expect(biology.live)
        #expect(biology.inRoomNow == 5)
        #expect(biology.durationSeconds == nil)
        #expect(biology.disconnections == 3)
        #expect(biology.incidents == 1)
        let html = MeetingsPage.render(MeetingsReport(generatedAt: Fixture.now, meetings: live), context: context).description
        #expect(html.contains(#"<span class="badge live">live</span> <span class="counter""#))

        let end = Fixture.date("2026-11-22T10:00:00Z")
        let ended = MeetingsReport.make(try Fixture.snapshot(at: end), privacy: .everyone, now: end).meetings
        let done = try #require(ended.first { $0.meetingID == Fixture.biology })
        #expect(!done.live)
        #expect(done.durationSeconds == 3600)
        #expect(done.peakParticipants == 6)
        #expect(done.inRoomNow == nil)
        #expect(throws: DashboardError.notFound("no meeting 1")) {
            try MeetingReport.make(snapshot, meetingID: "1", privacy: .everyone, now: Fixture.now, windowSeconds: 60)
        }
    }

    @Test func timelineTicksFallOnRoundLocalTimes() {
        let paris = DisplayClock(timeZone: TimeZone(identifier: "Europe/Paris")!, now: Fixture.now)
        let ticks = TimelineChart.ticks(from: Fixture.date("2026-11-22T08:17:10Z"), to: Fixture.date("2026-11-22T08:43:00Z"), clock: paris)
        #expect(ticks.map(\.label) == ["09:20", "09:30", "09:40"])
        let days = TimelineChart.ticks(from: Fixture.date("2026-11-20T10:00:00Z"), to: Fixture.date("2026-11-24T10:00:00Z"), clock: paris)
        #expect(days.map(\.label) == ["21 Nov", "22 Nov", "23 Nov", "24 Nov"])
        #expect(days.first?.at == Fixture.date("2026-11-20T23:00:00Z"))
        #expect([1, 12.345, 99.5, 0.05].map(TimelineChart.percent) == ["1.00%", "12.35%", "99.50%", "0.05%"])
        let empty = StabilityReport.make(ProjectionSnapshot(), privacy: .everyone, now: Fixture.now, windowSeconds: 60)
        #expect(TimelineChart.render(empty, clock: paris).description.contains("No disconnections"))
    }
}
