import Foundation
import Logging

/// The daily budget around its ledger: every Heavy and Resource-intensive request takes a unit
/// before it is sent (a request Zoom refused with 429 has been counted: Zoom's own count is not
/// visible, so Lookout errs on the side of using less).
public actor ZoomRequestBudget {
    private var budget: DailyBudget
    private let ledger: any ZoomUsageLedger
    private let now: @Sendable () -> Date
    private let logger: Logger

    public init(limit: Int, ledger: any ZoomUsageLedger, leaseSize: Int = 5, now: @escaping @Sendable () -> Date = Date.init,
                logger: Logger) {
        budget = DailyBudget(limit: limit, leaseSize: leaseSize)
        self.ledger = ledger
        self.now = now
        self.logger = logger
    }

    /// One request's unit, or why there is none today.
    public func take() async throws(ZoomAPIError) {
        while true {
            switch budget.next(now: now()) {
            case .go:
                return
            case .spent(let resumesAt, let byZoom):
                throw byZoom ? .dailyLimitReached(resumesAt: resumesAt) : .dailyBudgetSpent(limit: budget.limit, resumesAt: resumesAt)
            case .lease(let day, let count):
                let record: ZoomUsageDay
                do { record = try await ledger.add(count, day: day) } catch { throw .unavailable("Zoom usage ledger: \(error)") }
                budget.leased(day: day, asked: count, tallyAfter: record.requests, stoppedUntil: record.stoppedUntil)
            }
        }
    }

    /// Zoom answered its daily-limit 429: recorded for every process, then reported. The caller
    /// gets Zoom's answer either way; a ledger that cannot record the stop is logged, since then
    /// only this process knows (the others learn it from their own 429).
    public func zoomStopped(until: Date) async -> ZoomAPIError {
        let now = now()
        let day = DailyBudget.day(of: now)
        budget.zoomStopped(until: until, now: now)
        do {
            try await ledger.stop(day: day, until: until)
        } catch {
            logger.warning("Zoom's daily stop not recorded in the usage ledger: other processes keep sending until Zoom stops them too",
                           metadata: ["day": "\(day)", "resumes_at": "\(until)", "error": "\(error)"])
        }
        return .dailyLimitReached(resumesAt: until)
    }

    public func status() -> DailyBudget.Status { budget.status(now: now()) }
}
