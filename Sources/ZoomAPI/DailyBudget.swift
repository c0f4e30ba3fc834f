import Foundation

/// This deployment's share of Zoom's daily cap (Heavy + Resource-intensive requests), as one
/// process sees it. Pure: the caller supplies the time and does the ledger's I/O. Requests are
/// granted in small leases from the day's tally in the ledger, which every Lookout process on the
/// account adds to, so most requests need no write; a daily-limit answer from Zoom stops every
/// process until the time Zoom gave.
///
/// Zoom's day is taken to be the UTC day: its documentation resets daily limits "at 00:00 UTC,
/// not the user or account's local timezone", and its sample daily-limit answer says
/// `Retry-After: <date>T00:00:00Z`.
public struct DailyBudget: Sendable, Equatable {
    public enum Step: Sendable, Equatable {
        /// Go: one request of the lease in hand.
        case go
        /// Ask the ledger for `count` more requests of `day`, then call `leased`.
        case lease(day: String, count: Int)
        /// Nothing more until `resumesAt`; `byZoom`: Zoom said so (else the share is used up).
        case spent(resumesAt: Date, byZoom: Bool)
    }

    /// Where the budget stands, for progress lines and `lookout status`.
    public struct Status: Sendable, Equatable {
        public var limit: Int
        /// Requests of the day counted in the ledger, by every process (leases not used yet included).
        public var usedToday: Int
        public var leftToday: Int { max(0, limit - usedToday) }
        /// Next UTC midnight.
        public var resetsAt: Date
        /// Zoom said its daily limit was reached: nothing until then.
        public var stoppedUntil: Date?
        /// Requests this process made.
        public var made: Int

        public init(limit: Int, usedToday: Int, resetsAt: Date, stoppedUntil: Date?, made: Int) {
            self.limit = limit
            self.usedToday = usedToday
            self.resetsAt = resetsAt
            self.stoppedUntil = stoppedUntil
            self.made = made
        }
    }

    public let limit: Int
    public let leaseSize: Int
    public private(set) var day: String?
    /// Requests granted to this process and not made yet.
    public private(set) var inHand = 0
    /// The day's tally in the ledger as last seen.
    public private(set) var tally = 0
    public private(set) var stoppedUntil: Date?
    public private(set) var made = 0

    public init(limit: Int, leaseSize: Int = 5) {
        self.limit = max(1, limit)
        self.leaseSize = max(1, leaseSize)
    }

    public mutating func next(now: Date) -> Step {
        roll(to: now)
        if let until = stoppedUntil, now < until { return .spent(resumesAt: until, byZoom: true) }
        if inHand > 0 {
            inHand -= 1
            made += 1
            return .go
        }
        guard tally < limit, let day else { return .spent(resumesAt: Self.nextReset(after: now), byZoom: false) }
        return .lease(day: day, count: min(leaseSize, limit - tally))
    }

    /// The ledger's answer to `.lease`: the day's tally after adding `asked`, and when Zoom said
    /// stop (any process), if it did. Another process may have taken part of the room meanwhile,
    /// so only what is left below the limit is granted.
    public mutating func leased(day: String, asked: Int, tallyAfter: Int, stoppedUntil: Date?) {
        guard day == self.day else { return }
        tally = max(tally, tallyAfter)
        inHand += max(0, min(asked, limit - (tallyAfter - asked)))
        if let stoppedUntil { stop(until: stoppedUntil) }
    }

    /// Zoom answered that the daily limit is reached.
    public mutating func zoomStopped(until: Date, now: Date) {
        roll(to: now)
        stop(until: until)
    }

    public func status(now: Date) -> Status {
        let today = Self.day(of: now) == day
        return Status(limit: limit, usedToday: today ? tally - inHand : 0, resetsAt: Self.nextReset(after: now),
                      stoppedUntil: stoppedUntil.flatMap { $0 > now ? $0 : nil }, made: made)
    }

    private mutating func stop(until: Date) {
        stoppedUntil = max(until, stoppedUntil ?? until)
        inHand = 0
    }

    private mutating func roll(to now: Date) {
        let today = Self.day(of: now)
        guard today != day else { return }
        day = today
        inHand = 0
        tally = 0
        if let until = stoppedUntil, until <= now { stoppedUntil = nil }
    }

    /// `yyyy-MM-dd` of the UTC day.
    public static func day(of date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day())
    }

    public static func nextReset(after date: Date) -> Date {
        let midnight = (date.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        return Date(timeIntervalSince1970: midnight + 86_400)
    }
}
