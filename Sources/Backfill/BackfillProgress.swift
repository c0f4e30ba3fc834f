import Foundation

/// Where a backfill stands: meetings done of the total, events published, and an estimate of the
/// time left from the pace so far (meetings skipped as already done do not count towards it).
public struct BackfillProgress: Sendable, Equatable {
    public var total = 0
    /// Already done by an earlier run (the resume cursor).
    public var skipped = 0
    /// Backfilled by this run.
    public var backfilled = 0
    public var events = 0
    public var elapsed: Duration = .zero

    public init() {}

    public var done: Int { skipped + backfilled }

    public var estimatedRemaining: Duration? {
        guard backfilled > 0 else { return nil }
        return elapsed / backfilled * (total - done)
    }

    public var line: String {
        let percent = total == 0 ? 100 : done * 100 / total
        let eta = estimatedRemaining.map { " ETA \(Self.clock($0))" } ?? ""
        return "meetings \(done)/\(total) (\(percent)%), \(skipped) already done, \(events) events published, elapsed \(Self.clock(elapsed))\(eta)"
    }

    static func clock(_ duration: Duration) -> String {
        let seconds = Int(duration.components.seconds)
        return seconds >= 3600 ? "\(seconds / 3600)h\(String(format: "%02d", seconds % 3600 / 60))m"
            : "\(seconds / 60)m\(String(format: "%02d", seconds % 60))s"
    }
}
