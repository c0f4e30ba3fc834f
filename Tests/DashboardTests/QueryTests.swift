import Foundation
import Testing
@testable import Dashboard

@Suite struct QueryTests {
    let all = Set(DashboardQuery.Key.allCases)

    @Test func validParametersAreRead() throws {
        let query = try DashboardQuery.parse([("meeting", "85012345678"), ("recent", "5"), ("since", "2026-11-22"),
                                              ("until", "2026-11-22T09:30:00+01:00")], allowed: all)
        #expect(query == DashboardQuery(meetingID: "85012345678", recent: 5, since: Fixture.date("2026-11-22T00:00:00Z"),
                                        until: Fixture.date("2026-11-22T08:30:00Z")))
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
        ([("meting", "1")], "unknown query parameter \"meting\"; this page takes meeting, recent, since, until"),
    ])
    func badParametersAreRefusedWithAReason(_ parameters: [(String, String)], _ reason: String) {
        #expect(throws: DashboardError.badRequest(reason)) { try DashboardQuery.parse(parameters, allowed: all) }
    }

    @Test func aPageWithoutParametersTakesNone() {
        #expect(throws: DashboardError.badRequest("unknown query parameter \"x\"; this page takes none")) {
            try DashboardQuery.parse([("x", "1")], allowed: [])
        }
    }
}
