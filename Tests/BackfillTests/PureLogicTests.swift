import Backfill
import Foundation
import LookoutCore
import CurlHTTP
import Testing
import ZoomAPI
import ZoomModel

@Suite struct TokenBucketTests {
    @Test func spacesRequestsAtTheRateAndAllowsTheBurstAfterAQuietSpell() {
        let t0 = ContinuousClock.now
        var bucket = TokenBucket(rate: 10)
        #expect(bucket.reserve(now: t0) == .zero)
        #expect(bucket.reserve(now: t0) == .milliseconds(100))
        #expect(bucket.reserve(now: t0) == .milliseconds(200))
        #expect(bucket.reserve(now: t0 + .seconds(5)) == .zero)

        var bursty = TokenBucket(rate: 10, burst: 3)
        #expect((0..<3).map { _ in bursty.reserve(now: t0) } == [.zero, .zero, .zero])
        #expect(bursty.reserve(now: t0) == .milliseconds(100))
    }
}

@Suite struct BackfillRangeTests {
    @Test func splitsIntoWindowsTheDashboardAccepts() throws {
        let range = try BackfillRange(from: "2026-01-01", to: "2026-03-15")
        #expect(range.windows().map { "\($0.from)..\($0.to)" } == ["2026-01-01..2026-01-30", "2026-01-31..2026-03-01", "2026-03-02..2026-03-15"])
        #expect(try BackfillRange(from: "2026-11-22", to: "2026-11-22").windows().count == 1)
        #expect(range.contains(try Date("2026-03-15T23:59:59Z", strategy: .iso8601)))
        #expect(!range.contains(try Date("2026-03-16T00:00:00Z", strategy: .iso8601)))
    }

    @Test func refusesARangeBeforeTheDashboardsSixMonths() throws {
        let now = try Date("2026-12-02T10:00:00Z", strategy: .iso8601)
        #expect(BackfillRange.format(BackfillRange.dashboardEarliest(now: now)) == "2026-06-02")
        try BackfillRange(from: "2026-06-02", to: "2026-06-30").checkDashboardWindow(now: now)
        let problem = BackfillRange.Problem.beforeDashboardWindow(earliest: "2026-06-02")
        #expect(throws: problem) { try BackfillRange(from: "2026-06-01", to: "2026-11-30").checkDashboardWindow(now: now) }
        #expect(problem.description.contains("last 6 months only: --from must be 2026-06-02 or later"))
        #expect(problem.description.contains("Report API: --source report --meeting"))
    }

    @Test func refusesBadDates() {
        #expect(throws: BackfillRange.Problem.notADate("2026-02-30")) { try BackfillRange(from: "2026-02-30", to: "2026-03-01") }
        #expect(throws: BackfillRange.Problem.notADate("22/11/2026")) { try BackfillRange(from: "2026-01-01", to: "22/11/2026") }
        #expect(throws: BackfillRange.Problem.reversed) { try BackfillRange(from: "2026-02-01", to: "2026-01-01") }
    }
}

@Suite struct BackfillProgressTests {
    @Test func estimatesFromThePaceOfThisRun() {
        var progress = BackfillProgress()
        progress.total = 10
        #expect(progress.estimatedRemaining == nil)
        progress.skipped = 2
        progress.backfilled = 2
        progress.elapsed = .seconds(20)
        #expect(progress.estimatedRemaining == .seconds(60))
        #expect(progress.line.hasPrefix("meetings 4/10 (40%), 2 already done"))
        #expect(progress.line.hasSuffix("ETA 1m00s"))
    }

    @Test func theETAWaitsForTheNextDayWhenTodaysShareRunsOut() {
        var progress = BackfillProgress()
        progress.total = 1000
        progress.backfilled = 100
        progress.requests = 200
        progress.elapsed = .seconds(40)
        progress.untilReset = .seconds(3600)
        progress.budget = DailyBudget.Status(limit: 1000, usedToday: 400, resetsAt: Date(), stoppedUntil: nil, made: 200)
        // 900 meetings × 2 requests = 1800 needed, 600 left today: 1200 more, one full day and 200.
        #expect(progress.requestsNeeded == 1800)
        #expect(progress.estimatedRemaining == .seconds(3600 + 86_400) + .milliseconds(200) * 200)
        #expect(progress.line.contains("Zoom requests 200 (600 of 1000 left today, ~1800 needed, more than is left today"))
        #expect(progress.line.hasSuffix("ETA 1d01h"))
        progress.budget?.usedToday = 0
        progress.total = 110
        #expect(progress.estimatedRemaining == .seconds(4), "10 meetings, 20 requests at this run's 200 ms each")
    }
}

@Suite struct EncodingTests {
    @Test func meetingUUIDsAreEncodedOnceOrTwiceAsZoomAsks() {
        #expect(MeetingHistory.pathComponent("Dm0LookoutDemoMtg==") == "Dm0LookoutDemoMtg%3D%3D")
        #expect(MeetingHistory.pathComponent("/ab//c+d=") == "%252Fab%252F%252Fc%252Bd%253D")
        #expect(FormEncoding.encode([("a b", "x&y=z/ü")]) == "a%20b=x%26y%3Dz%2F%C3%BC")
    }
}

@Suite struct DailyBudgetTests {
    let morning = Date(timeIntervalSince1970: 1_795_334_400) // 2026-11-22T08:00:00Z

    @Test func grantsLeasesUpToTheLimitAndRollsOverAtUTCMidnight() {
        var budget = DailyBudget(limit: 7, leaseSize: 5)
        #expect(budget.next(now: morning) == .lease(day: "2026-11-22", count: 5))
        budget.leased(day: "2026-11-22", asked: 5, tallyAfter: 5, stoppedUntil: nil)
        #expect((0..<5).map { _ in budget.next(now: morning) } == Array(repeating: .go, count: 5))
        #expect(budget.next(now: morning) == .lease(day: "2026-11-22", count: 2))
        // Another process took one meanwhile: of the two asked, one is left.
        budget.leased(day: "2026-11-22", asked: 2, tallyAfter: 8, stoppedUntil: nil)
        #expect(budget.next(now: morning) == .go)
        let midnight = Date(timeIntervalSince1970: 1_795_392_000) // 2026-11-23T00:00:00Z
        #expect(budget.next(now: morning) == .spent(resumesAt: midnight, byZoom: false))
        #expect(budget.status(now: morning) == .init(limit: 7, usedToday: 8, resetsAt: midnight, stoppedUntil: nil, made: 6))
        #expect(budget.next(now: midnight) == .lease(day: "2026-11-23", count: 5))
    }

    @Test func zoomsStopHoldsUntilTheTimeZoomGaveAndDropsTheLease() {
        var budget = DailyBudget(limit: 100)
        _ = budget.next(now: morning)
        budget.leased(day: "2026-11-22", asked: 5, tallyAfter: 5, stoppedUntil: nil)
        let resume = morning.addingTimeInterval(3600)
        budget.zoomStopped(until: resume, now: morning)
        #expect(budget.next(now: morning.addingTimeInterval(60)) == .spent(resumesAt: resume, byZoom: true))
        #expect(budget.next(now: resume) == .lease(day: "2026-11-22", count: 5), "the lease in hand was dropped; Zoom's time is past")
        var fresh = DailyBudget(limit: 100)
        _ = fresh.next(now: morning)
        // Another process recorded Zoom's answer: the lease brings it.
        fresh.leased(day: "2026-11-22", asked: 5, tallyAfter: 30, stoppedUntil: resume)
        #expect(fresh.next(now: morning) == .spent(resumesAt: resume, byZoom: true))
        #expect(fresh.next(now: resume) == .lease(day: "2026-11-22", count: 5))
    }
}

@Suite struct ZoomAnswerTests {
    @Test func tellsAMissingScopeFromAPlanWithoutTheDashboard() {
        let scope = "Invalid access token, does not contain scopes:[dashboard_meetings:read:admin, report:read:admin]."
        #expect(ZoomRefusal(status: 400, code: 4711, message: scope) == .missingScopes(["dashboard_meetings:read:admin", "report:read:admin"]))
        #expect(ZoomRefusal(status: 400, code: nil, message: "Invalid access token, does not contain scopes:[x:read]") == .missingScopes(["x:read"]))
        #expect(ZoomRefusal(status: 400, code: 200, message: "Dashboard feature has not been enabled for this account.") == .planLacksFeature)
        #expect(ZoomRefusal(status: 400, code: 200, message: "Only available for Paid account.") == .planLacksFeature)
        #expect(ZoomRefusal(status: 403, code: 200, message: "This API is available for Business plans or higher.") == .planLacksFeature)
        #expect(ZoomRefusal(status: 400, code: 300, message: "The next page token is invalid or expired.") == .other)
        #expect(ZoomRefusal(status: 404, code: 3001, message: "Meeting does not exist.") == .other)
    }

    @Test func readsRetryAfterAsSecondsISOOrHTTPDate() throws {
        let now = try Date("2026-11-22T15:00:00Z", strategy: .iso8601)
        #expect(RateLimitAnswer.date("30", now: now) == now.addingTimeInterval(30))
        #expect(RateLimitAnswer.date("2026-11-23T00:00:00Z", now: now) == now.addingTimeInterval(9 * 3600))
        #expect(RateLimitAnswer.date("Mon, 23 Nov 2026 00:00:00 GMT", now: now) == now.addingTimeInterval(9 * 3600))
        #expect(RateLimitAnswer.date("soon", now: now) == nil)
        let daily = RateLimitAnswer(headers: { $0 == "X-RateLimit-Type" ? "Daily-limit" : nil }, body: Array("{}".utf8), now: now)
        #expect(daily == RateLimitAnswer(headers: { _ in nil }, body: Array(#"{"code":429,"message":"You have reached the maximum daily rate limit for this API."}"#.utf8), now: now))
        #expect(daily.daily && daily.retryAfter == nil)
        #expect(!RateLimitAnswer(headers: { _ in "2" }, body: Array(#"{"message":"maximum per-second rate limit"}"#.utf8), now: now).daily)
    }

    @Test func planLimitsAndTheDefaultPace() {
        let pro = ZoomRateLimits(plan: .pro)
        #expect(pro.rate(.heavy) == .init(8, per: .second))
        #expect(pro.rate(.resourceIntensive) == .init(8, per: .minute))
        #expect(pro.interval(.resourceIntensive) == .milliseconds(7500))
        #expect(pro.dailyBudget == 15_000)
        let business = ZoomRateLimits(plan: .business, dailySharePercent: 25)
        #expect(business.rate(.heavy) == .init(32, per: .second))
        #expect(business.rate(.resourceIntensive) == .init(16, per: .minute))
        #expect(business.dailyBudget == 15_000)
        #expect(!ZoomRateClass.medium.isDailyCapped && ZoomRateClass.heavy.isDailyCapped && ZoomRateClass.resourceIntensive.isDailyCapped)
    }
}
