import Foundation

/// The daily budget around its ledger: every Heavy and Resource-intensive request takes a unit
/// before it is sent (a request Zoom refused with 429 has been counted: Zoom's own count is not
/// visible, so Lookout errs on the side of using less).
public actor ZoomRequestBudget {
    private var budget: DailyBudget
    private let ledger: any ZoomUsageLedger
    private let now: @Sendable () -> Date

    public init(limit: Int, ledger: any ZoomUsageLedger, leaseSize: Int = 5, now: @escaping @Sendable () -> Date = Date.init) {
        budget = DailyBudget(limit: limit, leaseSize: leaseSize)
        self.ledger = ledger
        self.now = now
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

    /// Zoom answered its daily-limit 429: recorded for every process, then reported.
    public func zoomStopped(until: Date) async -> ZoomAPIError {
        let now = now()
        budget.zoomStopped(until: until, now: now)
        try? await ledger.stop(day: DailyBudget.day(of: now), until: until)
        return .dailyLimitReached(resumesAt: until)
    }

    public func status() -> DailyBudget.Status { budget.status(now: now()) }
}
