import Foundation
import Logging
import Synchronization
import Testing
import ZoomAPI

@Suite struct ZoomRequestBudgetTests {
    /// A ledger that counts but cannot record Zoom's stop (its database is away).
    struct StopRefused: ZoomUsageLedger {
        struct Away: Error {}
        func add(_ requests: Int, day: String) async throws -> ZoomUsageDay { ZoomUsageDay(requests: requests) }
        func stop(day: String, until: Date) async throws { throw Away() }
    }

    /// Keeps the messages logged at warning or above.
    final class Warnings: LogHandler, @unchecked Sendable {
        let messages = Mutex<[String]>([])
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            if event.level >= .warning { messages.withLock { $0.append("\(event.message)") } }
        }
    }

    @Test func aStopTheLedgerCannotRecordIsLoggedAndStillStopsThisProcess() async {
        let morning = Date(timeIntervalSince1970: 1_795_338_000) // 2026-11-22T09:00:00Z
        let resume = morning.addingTimeInterval(3600)
        let warnings = Warnings()
        let budget = ZoomRequestBudget(limit: 100, ledger: StopRefused(), now: { morning },
                                       logger: Logger(label: "test") { _ in warnings })
        #expect(await budget.zoomStopped(until: resume) == .dailyLimitReached(resumesAt: resume))
        await #expect(throws: ZoomAPIError.dailyLimitReached(resumesAt: resume)) { try await budget.take() }
        #expect(warnings.messages.withLock { $0.contains { $0.contains("not recorded in the usage ledger") } })
    }
}
