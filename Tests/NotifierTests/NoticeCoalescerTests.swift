import LookoutCore
import Testing
@testable import Notifier

@Suite struct NoticeCoalescerTests {
    let start = ContinuousClock.now
    let chat = NotifyTarget(route: "all", hook: "chat")
    let ops = NotifyTarget(route: "ops", hook: "ops")

    func tag(_ value: UInt64) -> DeliveryTag { DeliveryTag(connection: 1, value: value) }

    @Test func joinsOfOneMeetingWithinTheWindowBecomeOneGroup() throws {
        var coalescer = NoticeCoalescer(window: .seconds(3))
        for index in 0..<5 {
            coalescer.add(try joinedNotice("P\(index)"), delivery: tag(UInt64(index)), target: chat, now: start + .milliseconds(100 * index))
        }
        #expect(coalescer.earliestDue(for: chat) == start + .seconds(3))
        #expect(coalescer.takeDue(for: chat, now: start + .milliseconds(2999), limit: 10).isEmpty)
        let groups = coalescer.takeDue(for: chat, now: start + .seconds(3), limit: 10)
        #expect(groups.count == 1)
        #expect(groups.first?.items.map(\.delivery.value) == [0, 1, 2, 3, 4])
        #expect(coalescer.isEmpty)
    }

    @Test func aDueGroupStillTakesNoticesUntilItIsTaken() throws {
        var coalescer = NoticeCoalescer(window: .seconds(1))
        coalescer.add(try joinedNotice("Early"), delivery: tag(1), target: chat, now: start)
        coalescer.add(try joinedNotice("Late"), delivery: tag(2), target: chat, now: start + .seconds(5))
        let groups = coalescer.takeDue(for: chat, now: start + .seconds(5), limit: 10)
        #expect(groups.map(\.items.count) == [2])
    }

    @Test func meetingsKindsAndTargetsAreKeptApart() throws {
        var coalescer = NoticeCoalescer(window: .seconds(2))
        coalescer.add(try joinedNotice("A", meeting: "111111111"), delivery: tag(1), target: chat, now: start)
        coalescer.add(try joinedNotice("B", meeting: "222222222"), delivery: tag(2), target: chat, now: start)
        coalescer.add(try Fixture.notice("participant_left"), delivery: tag(3), target: chat, now: start)
        coalescer.add(try joinedNotice("A", meeting: "111111111"), delivery: tag(1), target: ops, now: start)
        #expect(coalescer.targets == [chat, ops])
        #expect(coalescer.takeDue(for: chat, now: start + .seconds(2), limit: 10).count == 3)
        #expect(coalescer.takeDue(for: ops, now: start + .seconds(2), limit: 10).count == 1)
    }

    @Test func meetingEventsAreDueAtOnce() throws {
        var coalescer = NoticeCoalescer(window: .seconds(3))
        coalescer.add(try Fixture.notice("meeting_started"), delivery: tag(1), target: chat, now: start)
        coalescer.add(try Fixture.notice("meeting_alert"), delivery: tag(2), target: chat, now: start)
        #expect(coalescer.earliestDue(for: chat) == start)
        #expect(coalescer.takeDue(for: chat, now: start, limit: 10).map(\.items.count) == [1, 1])
    }

    @Test func takingIsOldestFirstAndBounded() throws {
        var coalescer = NoticeCoalescer(window: .zero)
        for index in 0..<4 {
            coalescer.add(try joinedNotice("P", meeting: "10000000\(index)"), delivery: tag(UInt64(index)), target: chat, now: start)
        }
        #expect(coalescer.takeDue(for: chat, now: start, limit: 3).map { $0.items[0].delivery.value } == [0, 1, 2])
        #expect(coalescer.takeDue(for: chat, now: start, limit: 3).map { $0.items[0].delivery.value } == [3])
    }
}

@Suite struct TokenBucketTests {
    let start = ContinuousClock.now

    /// Takes a token `offset` after the start (`#expect` cannot call a mutating method itself).
    func take(_ bucket: inout TokenBucket, at offset: Duration = .zero) -> Bool {
        bucket.take(now: start + offset)
    }

    @Test func aBurstThenTheRate() {
        var bucket = TokenBucket(rate: 2, burst: 3)
        let burst = (0..<3).map { _ in take(&bucket) }
        #expect(burst == [true, true, true])
        let fourth = take(&bucket)
        #expect(!fourth)
        #expect(bucket.nextToken(now: start) == start + .milliseconds(500))
        let early = take(&bucket, at: .milliseconds(499))
        let onTime = take(&bucket, at: .milliseconds(500))
        let again = take(&bucket, at: .milliseconds(500))
        #expect([early, onTime, again] == [false, true, false])
    }

    @Test func aQuietSpellRefillsOnlyUpToTheBurst() {
        var bucket = TokenBucket(rate: 10, burst: 2)
        _ = (take(&bucket), take(&bucket))
        let later = (0..<3).map { _ in take(&bucket, at: .seconds(60)) }
        #expect(later == [true, true, false])
    }

    @Test func aPauseHoldsEverythingUntilItEndsAndSpendsTheBurst() {
        var bucket = TokenBucket(rate: 1, burst: 5)
        bucket.pause(until: start + .seconds(2))
        #expect(bucket.nextToken(now: start) == start + .seconds(2))
        let taken = [take(&bucket, at: .milliseconds(1999)), take(&bucket, at: .seconds(2)), take(&bucket, at: .seconds(2))]
        #expect(taken == [false, true, false])
    }

    @Test func overAMinuteTheRateHolds() {
        var bucket = TokenBucket(rate: 1, burst: 5)
        let taken = (0...600).filter { take(&bucket, at: .milliseconds(100 * $0)) }.count
        #expect(taken == 5 + 60)
    }
}
