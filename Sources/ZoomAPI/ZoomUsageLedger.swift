import Foundation
import Synchronization

/// One UTC day's use of the daily cap, as the ledger keeps it.
public struct ZoomUsageDay: Sendable, Equatable {
    /// Heavy + Resource-intensive requests granted that day, by every process.
    public var requests: Int
    /// Zoom answered that its daily limit was reached: nothing until then.
    public var stoppedUntil: Date?

    public init(requests: Int, stoppedUntil: Date? = nil) {
        self.requests = requests
        self.stoppedUntil = stoppedUntil
    }
}

/// Where the day's use of the Zoom API is counted, shared by every Lookout process of the account
/// and kept across restarts (MongoDB: `Backfill.MongoZoomUsage`).
public protocol ZoomUsageLedger: Sendable {
    /// Adds `requests` to `day`'s count, atomically, and returns the day as it is after.
    func add(_ requests: Int, day: String) async throws -> ZoomUsageDay
    /// Records Zoom's daily-limit answer, so other processes and later runs stop too.
    func stop(day: String, until: Date) async throws
}

/// A ledger of this process only (unit tests; a process with no database): the share is then
/// per process and starts again at every restart.
public final class InMemoryUsageLedger: ZoomUsageLedger {
    private let days = Mutex<[String: ZoomUsageDay]>([:])

    public init() {}

    public func add(_ requests: Int, day: String) async throws -> ZoomUsageDay {
        days.withLock { days in
            days[day, default: ZoomUsageDay(requests: 0)].requests += requests
            return days[day]!
        }
    }

    public func stop(day: String, until: Date) async throws {
        days.withLock { days in
            let earlier = days[day]?.stoppedUntil ?? until
            days[day, default: ZoomUsageDay(requests: 0)].stoppedUntil = max(earlier, until)
        }
    }

    public func day(_ day: String) -> ZoomUsageDay? { days.withLock { $0[day] } }
}
