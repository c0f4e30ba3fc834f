import Backfill
import Foundation
import LookoutCore
import OutboundHTTP
import Testing
import ZoomAPI

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
}

@Suite struct EncodingTests {
    @Test func meetingUUIDsAreEncodedOnceOrTwiceAsZoomAsks() {
        #expect(MeetingHistory.pathComponent("Dm0LookoutDemoMtg==") == "Dm0LookoutDemoMtg%3D%3D")
        #expect(MeetingHistory.pathComponent("/ab//c+d=") == "%252Fab%252F%252Fc%252Bd%253D")
        #expect(FormEncoding.encode([("a b", "x&y=z/ü")]) == "a%20b=x%26y%3Dz%2F%C3%BC")
    }
}
