import Foundation
import Testing
@testable import Dashboard

@Suite struct QueryTests {
    let all = Set(DashboardQuery.Key.allCases)

    @Test func validParametersAreRead() throws {
        let query = try DashboardQuery.parse([("meeting", "85012345678"), ("recent", "5"), ("since", "2026-11-22"),
                                              ("until", "2026-11-22T09:30:00+01:00")], allowed: all)
        var expected = DashboardQuery(meetingID: "85012345678", recent: 5, since: Fixture.date("2026-11-22T00:00:00Z"),
                                      until: Fixture.date("2026-11-22T08:30:00Z"))
        // The older names give a custom period's bounds.
        expected.from = .instant(Fixture.date("2026-11-22T00:00:00Z"))
        expected.to = .instant(Fixture.date("2026-11-22T08:30:00Z"))
        #expect(query == expected)
        #expect(try DashboardQuery.parse([("since", "2026-11-22T08:00:00.250Z")], allowed: all).since != nil)
        #expect(try DashboardQuery.parse([], allowed: []) == DashboardQuery())
    }

    @Test(arguments: [
        ([("recent", "0")], "recent: expected a whole number in 1...500, got \"0\""),
        ([("recent", "many")], "recent: expected a whole number in 1...500, got \"many\""),
        ([("since", "yesterday")], "since: expected an ISO 8601 time (2026-11-22T08:00:00Z) or day (2026-11-22), got \"yesterday\""),
        ([("since", "2026-11-22"), ("until", "2026-11-21")], "since must be before until"),
        ([("meeting", "")], "meeting: expected a Zoom meeting id, got \"\""),
        ([("meeting", "1 2")], "meeting: expected a Zoom meeting id, got \"1 2\""),
        ([("recent", "1"), ("recent", "2")], "query parameter \"recent\" given twice"),
        ([("meting", "1")], "unknown query parameter \"meting\"; this page takes from, instance, limit, meeting, period, q, recent, since, status, to, until"),
        ([("period", "week")], "period: expected one of today, 7d, 30d, term, custom, got \"week\""),
        ([("from", "22/11/2026")], "from: expected a day (2026-11-22) or an ISO 8601 time, got \"22/11/2026\""),
        ([("status", "over")], "status: expected live, ended or all, got \"over\""),
        ([("limit", "0")], "limit: expected a whole number in 1...2000, got \"0\""),
        ([("since", "2026-11-22"), ("from", "2026-11-21")], "give from/to or since/until, not both"),
    ])
    func badParametersAreRefusedWithAReason(_ parameters: [(String, String)], _ reason: String) {
        #expect(throws: DashboardError.badRequest(reason)) { try DashboardQuery.parse(parameters, allowed: all) }
    }

    @Test func periodsAreDaysInTheDisplayZone() throws {
        var paris = Calendar(identifier: .gregorian)
        paris.timeZone = TimeZone(identifier: "Europe/Paris")!
        func period(_ parameters: [(String, String)], term: Period.Bound? = nil) throws -> Period {
            try DashboardQuery.parse(parameters, allowed: all).period(default: .week, termStart: term, calendar: paris, now: Fixture.now)
        }
        #expect(try period([]).kind == .week)
        #expect(try period([]).start == Fixture.date("2026-11-15T23:00:00Z"))
        #expect(try period([]).end == Fixture.date("2026-11-22T23:00:00Z"))
        #expect(try period([("period", "today")]).start == Fixture.date("2026-11-21T23:00:00Z"))
        #expect(try period([("period", "today")]).bucket == .hour)
        #expect(try period([("period", "30d")]).start == Fixture.date("2026-10-23T22:00:00Z"))
        #expect(try period([("period", "term")], term: .day(year: 2026, month: 9, day: 1)).start == Fixture.date("2026-08-31T22:00:00Z"))
        #expect(try period([("period", "term")]).start == Fixture.date("2026-08-24T22:00:00Z"), "no term start: the last 90 days")
        let custom = try period([("from", "2026-11-02"), ("to", "2026-11-08")])
        #expect(custom.kind == .custom)
        #expect((custom.start, custom.end) == (Fixture.date("2026-11-01T23:00:00Z"), Fixture.date("2026-11-08T23:00:00Z")))
        #expect(custom.queryItems(default: .week).map { "\($0.0)=\($0.1)" } == ["from=2026-11-02", "to=2026-11-08"])
        #expect(custom.bucket == .day)
        // What the period form sends for a custom range.
        #expect(try period([("period", ""), ("from", "2026-11-02"), ("to", "")]).end == Fixture.date("2026-11-22T23:00:00Z"))
        #expect(throws: DashboardError.badRequest("from must be before to")) { try period([("from", "2026-11-08"), ("to", "2026-11-02")]) }
        #expect(throws: DashboardError.badRequest("a period spans at most 400 days")) { try period([("from", "2024-01-01")]) }
        #expect(throws: DashboardError.badRequest("from and to make a custom period: leave out period, or give period=custom")) {
            try period([("period", "today"), ("from", "2026-11-02")])
        }
    }

    @Test func aPageWithoutParametersTakesNone() {
        #expect(throws: DashboardError.badRequest("unknown query parameter \"x\"; this page takes none")) {
            try DashboardQuery.parse([("x", "1")], allowed: [])
        }
    }
}
