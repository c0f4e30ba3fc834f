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

    var data: DashboardData { Fixture.data(snapshot) }
    let week = Fixture.week()

    func room(_ privacy: ExportPrivacy = .everyone, at now: Date = Fixture.now, snapshot: ProjectionSnapshot? = nil,
              query: DashboardQuery = DashboardQuery()) -> RoomReport {
        RoomReport.make(Fixture.data(snapshot ?? self.snapshot), audience: Fixture.audience(privacy), now: now, query: query,
                        period: Fixture.week(now: now))
    }

    func stability(_ privacy: ExportPrivacy = .everyone, meetingID: String? = nil, period: Period? = nil) -> StabilityReport {
        StabilityReport.make(data, audience: Fixture.audience(privacy), period: period ?? week, now: Fixture.now, meetingID: meetingID)
    }

    func meetings(at now: Date = Fixture.now, snapshot: ProjectionSnapshot? = nil) -> MeetingsReport {
        MeetingsReport.make(Fixture.data(snapshot ?? self.snapshot), audience: Fixture.audience(.everyone), period: Fixture.week(now: now),
                            now: now, query: DashboardQuery())
    }

    func pages(_ privacy: ExportPrivacy = .everyone) throws -> [HTML] {
        var context = self.context
        context.audience = Fixture.audience(privacy)
        context.period = week
        let audience = Fixture.audience(privacy)
        return [RoomPage.render(room(privacy), context: context, query: DashboardQuery(), limit: 12),
                StabilityPage.render(stability(privacy), context: context, limit: 100),
                MeetingsPage.render(MeetingsReport.make(data, audience: audience, period: week, now: Fixture.now, query: DashboardQuery()),
                                    context: context, query: DashboardQuery(), limit: 100),
                MeetingsPage.render(try MeetingReport.make(data, meetingID: Fixture.chemistry, audience: audience, period: week,
                                                           now: Fixture.now, query: DashboardQuery(), timeline: nil, rules: ProjectionRules(),
                                                           limit: 100), context: context, limit: 100),
                OverviewPage.render(OverviewReport.make(data, audience: audience, period: week, calendar: Fixture.utc, now: Fixture.now),
                                    context: context)]
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
        let room = try #require(self.room().rooms.first { $0.meetingID == Fixture.biology })
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

    @Test func onlyLiveRoomsByDefaultMostPeopleFirst() throws {
        let rooms = room().rooms
        // Physics ended an hour ago: only behind the "ended" filter.
        #expect(rooms.map(\.meetingID) == [Fixture.biology, Fixture.chemistry])
        #expect(rooms.map(\.inRoom.count) == [5, 1])
        #expect(room().liveCount == 2)
        var ended = DashboardQuery()
        ended.status = .ended
        #expect(room(query: ended).rooms.isEmpty)
        #expect(room(query: ended).ended.map(\.meetingID) == [Fixture.physics])
        // After the class nobody is in the room: it is no longer live.
        let end = Fixture.date("2026-11-22T10:00:00Z")
        let later = room(at: end, snapshot: try Fixture.snapshot(at: end))
        #expect(later.rooms.first { $0.meetingID == Fixture.biology } == nil)
        ended.status = .all
        #expect(room(at: end, snapshot: try Fixture.snapshot(at: end), query: ended).ended.contains { $0.meetingID == Fixture.biology })
    }

    @Test func theRoomSearchMatchesTopicIdAndShownNamesOnly() throws {
        var query = DashboardQuery()
        query.search = "chem"
        #expect(room(query: query).rooms.map(\.meetingID) == [Fixture.chemistry])
        query.search = "85012345678"
        #expect(room(query: query).rooms.map(\.meetingID) == [Fixture.biology])
        query.search = "katherine"
        #expect(room(query: query).rooms.map(\.meetingID) == [Fixture.biology])
        // On a pseudonymised view a real name finds nothing: the search cannot tell who is where.
        let pseudonyms = ExportPrivacy(pseudonyms: Pseudonyms(key: Array("dashboard test key".utf8)))
        #expect(room(pseudonyms, query: query).rooms.isEmpty)
        query.search = pseudonyms.displayName("Katherine Johnson")
        #expect(room(pseudonyms, query: query).rooms.map(\.meetingID) == [Fixture.biology])
    }

    @Test func platformWideIncidentsAreHighlighted() throws {
        let report = stability()
        let flags = Dictionary(uniqueKeysWithValues: report.incidents.map { ($0.meetingID, $0.platformWide) })
        #expect(flags == [Fixture.biology: true, Fixture.chemistry: true, Fixture.physics: false])
        let html = StabilityPage.render(report, context: context, limit: 100).description
        for incident in report.incidents {
            let rect = #"<rect class="\#(incident.platformWide ? "incident platform-wide" : "incident")" data-incident="\#(HTML.escape(incident.id))""#
            #expect(html.contains(rect), "\(incident.meetingID)")
            let row = #"<tr class="\#(incident.platformWide ? "platform-wide" : "")" data-incident="\#(HTML.escape(incident.id))">"#
            #expect(html.contains(row), "\(incident.meetingID)")
        }
        #expect(html.components(separatedBy: #"<span class="badge platform-wide">"#).count == 3)
        // A filter keeps the flag: it is judged against every meeting.
        let biologyOnly = stability(meetingID: Fixture.biology)
        #expect(biologyOnly.incidents.map(\.platformWide) == [true])
        // The timeline spans the class so far (from its start to now), within the period.
        #expect(biologyOnly.period == .init(from: Fixture.date("2026-11-22T08:00:00Z"), until: Fixture.now))
        // Never beyond the period: a year of data is not squeezed into one picture.
        let late = stability(meetingID: Fixture.biology, period: Period(kind: .custom, start: Fixture.date("2026-11-22T08:10:00Z"),
                                                                        end: Fixture.date("2026-11-22T08:25:00Z"), from: nil, to: nil))
        #expect(late.period == .init(from: Fixture.date("2026-11-22T08:10:00Z"), until: Fixture.date("2026-11-22T08:25:00Z")))
    }

    @Test func whoNeedsHelpIsSortedByDrops() {
        let report = stability()
        #expect(report.participants.count == 9)
        let alan = report.participants.first { $0.name == "Alan Turing" }
        #expect(alan?.disconnections == 1)
        #expect(alan?.bounced == 1)
        #expect(alan?.longestAwaySeconds == 45)
        #expect(report.participants.first { $0.name == "Grace Hopper" }?.longestAwaySeconds == nil)
        #expect(report.alerts.map(\.issues) == [["Unstable audio quality", "Network latency"]])
        let window = stability(period: Period(kind: .custom, start: Fixture.date("2026-11-22T08:00:00Z"), end: Fixture.now, from: nil, to: nil))
        #expect(!window.participants.contains { $0.name == "Emmy Noether" })
        #expect(window.incidents.count == 2)
    }

    @Test func publicViewsShowOnlyAllowedNamesOrPseudonyms() throws {
        let allowed = ExportPrivacy(allowedNames: ["ada lovelace", "Alan Turing"])
        let room = self.room(allowed)
        #expect(room.rooms.flatMap(\.inRoom).map(\.name) == ["Ada Lovelace", "Alan Turing"])
        // Counts are everyone's; only names are filtered.
        #expect(room.rooms.first?.inRoomCount == 5)
        #expect(Set(room.rooms.flatMap(\.recent).map(\.name)) == ["Ada Lovelace", "Alan Turing"])
        let stability = stability(allowed)
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
        let live = meetings().meetings
        let biology = try #require(live.first { $0.meetingID == Fixture.biology })
        #expect(biology.live)
        #expect(biology.inRoomNow == 5)
        #expect(biology.durationSeconds == nil)
        #expect(biology.disconnections == 3)
        #expect(biology.incidents == 1)
        let html = MeetingsPage.instances(live, context).description
        #expect(html.contains(#"<span class="badge live">live</span> <span class="counter""#))
        // The live row has no cell of its own for the badge: its class is not the header's "live" status.
        #expect(html.contains(#"<tr class="is-live">"#))
        #expect(!html.contains(#"class="live""#))

        let end = Fixture.date("2026-11-22T10:00:00Z")
        let ended = meetings(at: end, snapshot: try Fixture.snapshot(at: end)).meetings
        let done = try #require(ended.first { $0.meetingID == Fixture.biology })
        #expect(!done.live)
        #expect(done.durationSeconds == 3600)
        #expect(done.peakParticipants == 6)
        #expect(done.inRoomNow == nil)
        #expect(throws: DashboardError.notFound("no meeting 1")) {
            try MeetingReport.make(data, meetingID: "1", audience: .full, period: week, now: Fixture.now, query: DashboardQuery(),
                                   timeline: nil, rules: ProjectionRules(), limit: 10)
        }
    }

    @Test func timelineTicksFallOnRoundLocalTimes() {
        let paris = DisplayClock(timeZone: TimeZone(identifier: "Europe/Paris")!, now: Fixture.now)
        let ticks = TimelineChart.ticks(from: Fixture.date("2026-11-22T08:17:10Z"), to: Fixture.date("2026-11-22T08:43:00Z"), clock: paris)
        #expect(ticks.map(\.label) == ["09:20", "09:25", "09:30", "09:35", "09:40"])
        let days = TimelineChart.ticks(from: Fixture.date("2026-11-20T10:00:00Z"), to: Fixture.date("2026-11-24T10:00:00Z"), clock: paris)
        #expect(days.map(\.label) == ["21 Nov", "22 Nov", "23 Nov", "24 Nov"])
        #expect(days.first?.at == Fixture.date("2026-11-20T23:00:00Z"))
        #expect([1, 12.345, 99.5, 0.05].map(TimelineChart.percent) == ["1.00%", "12.35%", "99.50%", "0.05%"])
        // A year: quarters, never the 52 weekly labels that used to overprint.
        let year = TimelineChart.ticks(from: Fixture.date("2025-12-01T00:00:00Z"), to: Fixture.date("2026-12-01T00:00:00Z"), clock: paris)
        #expect(year.map(\.label) == ["Jan 2026", "Apr 2026", "Jul 2026", "Oct 2026"])
        // A month: weekly, on Mondays; a day with its hours; never more than six.
        let month = TimelineChart.ticks(from: Fixture.date("2026-11-01T00:00:00Z"), to: Fixture.date("2026-12-01T00:00:00Z"), clock: paris)
        #expect(month.map(\.label) == ["2 Nov", "9 Nov", "16 Nov", "23 Nov", "30 Nov"])
        let day = TimelineChart.ticks(from: Fixture.date("2026-11-21T23:00:00Z"), to: Fixture.date("2026-11-22T23:00:00Z"), clock: paris)
        #expect(day.map(\.label) == ["22 Nov", "06:00", "12:00", "18:00", "23 Nov"])
        let spans: [TimeInterval] = [600, 3600, 86_400, 7 * 86_400, 30 * 86_400, 120 * 86_400, 400 * 86_400, 3 * 365 * 86_400]
        for span in spans {
            let ticks = TimelineChart.ticks(from: Fixture.now, to: Fixture.now.addingTimeInterval(span), clock: paris)
            #expect((2...6).contains(ticks.count), "\(span): \(ticks.map(\.label))")
            #expect(Set(ticks.map(\.label)).count == ticks.count, "\(span): \(ticks.map(\.label))")
        }
        let empty = StabilityReport.make(Fixture.data(ProjectionSnapshot()), audience: .full, period: week, now: Fixture.now)
        #expect(TimelineChart.render(empty, clock: paris).description.contains("No disconnections"))
    }
}
