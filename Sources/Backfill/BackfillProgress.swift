import Foundation
import ZoomAPI

/// Where a backfill stands: meetings done of the total, events published, Zoom requests made,
/// and an estimate of the time left from the daily budget (requests left today against requests
/// still needed, at this run's pace) — a backfill bigger than what is left of today's share
/// waits for the next UTC day.
public struct BackfillProgress: Sendable, Equatable {
    public var total = 0
    /// Already done by an earlier run (the resume cursor).
    public var skipped = 0
    /// Backfilled by this run.
    public var backfilled = 0
    public var events = 0
    public var elapsed: Duration = .zero
    /// Heavy + Resource-intensive requests this run made (the daily budget counts these).
    public var requests = 0
    /// The daily budget as last seen; nil before the first request.
    public var budget: DailyBudget.Status?
    /// How long until the budget's day turns (from `budget.resetsAt`, at the time of the snapshot).
    public var untilReset: Duration = .zero

    public init() {}

    public var done: Int { skipped + backfilled }
    public var remaining: Int { max(0, total - done) }

    /// Requests the remaining meetings need: this run's requests per meeting so far (a meeting's
    /// participant list is one request per 300 sessions), one each before the first.
    public var requestsNeeded: Int {
        let perMeeting = backfilled > 0 ? Double(requests) / Double(backfilled) : 1
        return Int((Double(remaining) * max(perMeeting, 1)).rounded(.up))
    }

    public var estimatedRemaining: Duration? {
        guard backfilled > 0 else { return nil }
        // No request counted (a client without a budget): a meeting is a request.
        let perRequest = elapsed / (requests > 0 ? requests : backfilled)
        let needed = requestsNeeded
        guard let budget, needed > budget.leftToday else { return perRequest * needed }
        // Today's share runs out first: the rest waits for the next day(s).
        let beyond = needed - budget.leftToday
        let fullDays = (beyond - 1) / max(budget.limit, 1)
        let lastDay = beyond - fullDays * budget.limit
        return untilReset + .seconds(86_400 * fullDays) + perRequest * lastDay
    }

    public var line: String {
        let percent = total == 0 ? 100 : done * 100 / total
        let eta = estimatedRemaining.map { " ETA \(Self.clock($0))" } ?? ""
        let zoom = budget.map { budget in
            let waits = requestsNeeded > budget.leftToday ? ", more than is left today: the rest waits for 00:00 UTC" : ""
            return ", Zoom requests \(requests) (\(budget.leftToday) of \(budget.limit) left today, ~\(requestsNeeded) needed\(waits))"
        } ?? ""
        return "meetings \(done)/\(total) (\(percent)%), \(skipped) already done, \(events) events published\(zoom), "
            + "elapsed \(Self.clock(elapsed))\(eta)"
    }

    static func clock(_ duration: Duration) -> String {
        let seconds = Int(duration.components.seconds)
        if seconds >= 86_400 { return "\(seconds / 86_400)d\(String(format: "%02d", seconds % 86_400 / 3600))h" }
        return seconds >= 3600 ? "\(seconds / 3600)h\(String(format: "%02d", seconds % 3600 / 60))m"
            : "\(seconds / 60)m\(String(format: "%02d", seconds % 60))s"
    }
}
