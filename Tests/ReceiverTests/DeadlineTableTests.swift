import Testing
@testable import Receiver

@Suite struct DeadlineTableTests {
    @Test func removesOnlyWhatIsOverdueAndWhatWasNotTakenOut() {
        let start = ContinuousClock.Instant.now
        var table = DeadlineTable<String>()
        _ = table.insert("early", deadline: start + .milliseconds(100))
        let taken = table.insert("taken out", deadline: start + .milliseconds(100))
        _ = table.insert("late", deadline: start + .seconds(10))
        table.remove(taken)
        #expect(table.removeOverdue(now: start).isEmpty)
        #expect(table.removeOverdue(now: start + .milliseconds(100)) == ["early"])
        #expect(table.removeOverdue(now: start + .seconds(5)).isEmpty)
        #expect(table.count == 1)
        #expect(table.removeOverdue(now: start + .seconds(10)) == ["late"])
        #expect(table.isEmpty)
    }

    @Test func sweepIntervalIsATenthOfTheTimeoutWithinBounds() {
        #expect(BodyDeadlines.interval(for: .seconds(10)) == .milliseconds(250))
        #expect(BodyDeadlines.interval(for: .milliseconds(800)) == .milliseconds(80))
        #expect(BodyDeadlines.interval(for: .milliseconds(50)) == .milliseconds(10))
    }
}
