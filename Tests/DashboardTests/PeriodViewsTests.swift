import Foundation
import NIOCore
import Projections
import Testing
import ZoomModel
import ZoomWebhooks
@testable import Dashboard

/// The overview's counts, a meeting instance's timeline, a person's page, over the fixture's day.
@Suite struct PeriodViewsTests {
    let snapshot: ProjectionSnapshot
    let data: DashboardData
    let today: Period

    init() throws {
        snapshot = try Fixture.snapshot()
        data = Fixture.data(snapshot)
        today = try Period.resolve(kind: .today, from: nil, to: nil, defaultKind: .week, termStart: nil, calendar: Fixture.utc, now: Fixture.now)
    }

    @Test func theDayCountsMeetingsPeopleDropsAndWhoseFaultTheyWere() throws {
        let stats = PeriodStats.make(data, period: today, calendar: Fixture.utc, now: Fixture.now)
        #expect(stats.bucket == .hour)
        // Midnight to the hour that holds now.
        #expect(stats.buckets.count == 9)
        let total = stats.total
        // Physics sent no meeting.started: only its people and drops count.
        #expect(total.meetings == 2)
        #expect(total.participants == 13)
        #expect(total.drops + total.reconnects == snapshot.disconnections.count)
        #expect(total.incidents == 3)
        #expect(total.platformWideIncidents == 2)
        // Biology and Chemistry lost three each at 08:20 (platform-wide); Physics three on its own at 07:10.
        #expect((total.platformWide, total.collective, total.individual) == (6, 3, 0))
        #expect(total.cause == .platformWide)
        let eight = try #require(stats.buckets.last)
        #expect(eight.start == Fixture.date("2026-11-22T08:00:00Z"))
        #expect(eight.platformWide == 6)
        #expect(eight.participantHours > 3 && eight.participantHours < 5, "10 people for up to half an hour: \(eight.participantHours)")
        #expect(eight.isBad)

        let overview = OverviewReport.make(data, audience: .full, period: today, calendar: Fixture.utc, now: Fixture.now)
        #expect(overview.platformWide.count == 1)
        #expect(overview.platformWide.first?.meetings == 2)
        #expect(overview.today?.day.cause == .platformWide)
        #expect(overview.today?.platformWide.count == 1)
        #expect(overview.yesterday == nil, "nothing happened the day before")
    }

    @Test func theOverviewPageAnswersWhoseFaultAndDrawsReadableCharts() throws {
        var context = PageContext(siteTitle: "Lookout", prefix: "", version: 1, clock: DisplayClock(timeZone: .gmt, now: Fixture.now))
        context.period = Fixture.week()
        let report = OverviewReport.make(data, audience: .full, period: Fixture.week(), calendar: Fixture.utc, now: Fixture.now)
        let html = OverviewPage.render(report, context: context).description
        #expect(html.contains("Mostly <strong>platform-wide</strong>"))
        #expect(html.contains(#"<a href="/?period=today">Today</a>"#))
        #expect(html.contains(#"<a href="/" aria-current="true">7 days</a>"#))
        // One bar per day, with its hover title and a link to that day.
        #expect(html.components(separatedBy: #"<g class="bar"><title>"#).count - 1 == 14)
        #expect(html.contains(#"<a href="/?from=2026-11-22&amp;to=2026-11-22">"#))
        // Days labelled under the middle of their bar, six at most.
        let labels = html.components(separatedBy: #"class="tick-label""#).count - 1
        #expect((2...12).contains(labels), "two charts, up to six labels each: \(labels)")
        #expect(!html.contains("cdn"), "no CDN")
    }

    @Test func aMeetingPageClassifiesTheInstanceTimeline() throws {
        let instance = "Dm0LookoutDemoMtg=="
        let rules = ProjectionRules()
        let inputs = try Fixture.demoBodies().map { try ProjectionInput.from(body: $0, id: IdempotencyKey.of($0), rules: rules) }
        let facts = inputs.compactMap { input -> AttendanceFact? in
            if case .attendance(let fact, _) = input, fact.at.date <= Fixture.now { fact } else { nil }
        }
        let timeline = InstanceTimeline.entries(of: facts, rules: rules.leaves)[instance]
        var query = DashboardQuery()
        query.instance = instance
        let report = try MeetingReport.make(data, meetingID: Fixture.biology, audience: .full, period: today, now: Fixture.now, query: query,
                                            timeline: timeline, rules: rules, limit: 100)
        let selected = try #require(report.selected)
        #expect(selected.source == "timeline")
        #expect(selected.participantCount == 6)
        let kinds = Dictionary(grouping: selected.events, by: \.kind).mapValues(\.count)
        #expect(kinds[.dropped] == 3, "Alan, Katherine and Grace: \(kinds)")
        #expect(selected.events.contains { $0.name == "Edsger Dijkstra" && $0.kind != .left && $0.kind != .joined })
        // How many were in at each moment: six at most, the peak Zoom's timeline gives.
        #expect(selected.occupancy.map(\.people).max() == 6)
        #expect(selected.participants.first { $0.name == "Katherine Johnson" }?.drops == 1)
        // Without the timeline: from the stays, the same drops.
        let fallback = try MeetingReport.make(data, meetingID: Fixture.biology, audience: .full, period: today, now: Fixture.now, query: query,
                                              timeline: nil, rules: rules, limit: 100)
        #expect(fallback.selected?.source == "presence")
        #expect(fallback.selected?.events.count { $0.kind == .dropped || $0.kind == .reconnected } == 3)
        #expect(throws: DashboardError.notFound("no instance nope of meeting \(Fixture.biology)")) {
            var query = DashboardQuery()
            query.instance = "nope"
            _ = try MeetingReport.make(data, meetingID: Fixture.biology, audience: .full, period: today, now: Fixture.now, query: query,
                                       timeline: nil, rules: rules, limit: 100)
        }
    }

    @Test func aPersonIsFoundByTheirKeyNeverByTheirNameOnThePublicView() throws {
        let pseudonyms = ExportPrivacy(pseudonyms: Pseudonyms(key: Array("dashboard test key".utf8)))
        let audience = Fixture.audience(pseudonyms)
        let keys = PersonKeys()
        let key = try #require(audience.personKey("Katherine Johnson"))
        #expect(key.count == 6)
        #expect(pseudonyms.displayName("Katherine Johnson")?.hasSuffix(key) == true)
        let person = try #require(keys.person(key, in: data, audience: audience))
        let report = try #require(PersonReport.make(data, person: person, key: key, audience: audience, period: today,
                                                    calendar: Fixture.utc, now: Fixture.now, limit: 100))
        #expect(report.name == pseudonyms.displayName("Katherine Johnson"))
        #expect(report.stays.count == 1)
        #expect(report.stats.total.drops + report.stats.total.reconnects == 1)
        #expect(report.meetings.map(\.meetingID) == [Fixture.biology])
        // The full view's key is a digest: no name in a URL.
        let full = try #require(Audience.full.personKey("Katherine Johnson"))
        #expect(!full.lowercased().contains("katherine"))
        #expect(keys.person(full, in: data, audience: .full) == person)
        #expect(keys.person(full, in: data, audience: audience) == nil, "a full-view key opens nothing on the public view")
        #expect(Fixture.audience(.withheld).personKey("Katherine Johnson") == nil)

        let csv = PersonReport.csv(report)
        #expect(csv.hasPrefix(#""participant","meeting_id","meeting_topic","instance","joined_at","left_at","seconds_connected""#))
        #expect(csv.contains(#""2026-11-22T08:02:00Z","","#))
        #expect(PersonReport.field("=HYPERLINK(\"x\")") == #""'=HYPERLINK(""x"")""#)
    }

    @Test func renderedPagesAreKeptForOneVersionOnly() {
        let pages = RenderedPages()
        pages.store(ByteBuffer(string: "a"), of: 1, key: "/")
        #expect(pages.cached(of: 1, key: "/") == ByteBuffer(string: "a"))
        #expect(pages.cached(of: 2, key: "/") == nil)
        pages.store(ByteBuffer(string: "b"), of: 2, key: "/")
        #expect(pages.cached(of: 1, key: "/") == nil)
        // An older render arriving late does not replace the newer version's.
        pages.store(ByteBuffer(string: "old"), of: 1, key: "/x")
        #expect(pages.cached(of: 2, key: "/") == ByteBuffer(string: "b"))
        for index in 0..<(RenderedPages.most + 10) { pages.store(ByteBuffer(), of: 2, key: "/\(index)") }
        #expect(pages.cached(of: 2, key: "/\(RenderedPages.most + 5)") == nil, "bounded")
        // Not for ever: the clock on the page moves on even when the projections do not.
        let brief = RenderedPages(maxAge: .zero)
        brief.store(ByteBuffer(string: "a"), of: 1, key: "/")
        #expect(brief.cached(of: 1, key: "/") == nil)
    }
}
