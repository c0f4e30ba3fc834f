import Backfill
import Foundation
import Testing

@Suite struct InMemoryBackfillLedgerTests {
    @Test func completedInstancesAreSkippedAndTheFirstCompletionWins() async throws {
        let ledger = InMemoryBackfillLedger()
        #expect(try await ledger.completed(["a", "b"]).isEmpty)
        try await ledger.markCompleted(uuid: "a", meetingID: "1", events: 4)
        try await ledger.markCompleted(uuid: "a", meetingID: "1", events: 9)
        #expect(try await ledger.completed(["a", "b"]) == ["a"])
        #expect(ledger.all["a"]?.events == 4)
    }
}
