import Foundation
import ZoomModel

/// The stretch of time a page or an API answer covers: today, the last 7 or 30 days, this term,
/// or a custom from–to; days in the configured time zone. Resolved from the query (`period`,
/// `from`, `to`, or the older `since`/`until`) against the clock, so a URL is shareable.
public struct Period: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable, Encodable {
        case today, week = "7d", month = "30d", term, custom
    }

    /// A bound as the query gave it: a day (whole, in the display zone) or an instant.
    public enum Bound: Sendable, Equatable {
        case day(year: Int, month: Int, day: Int)
        case instant(Date)
    }

    public let kind: Kind
    /// Inclusive.
    public let start: Date
    /// Exclusive.
    public let end: Date
    /// What the query said, to write it back into links (a custom period).
    let from: Bound?
    let to: Bound?

    public var seconds: TimeInterval { end.timeIntervalSince(start) }

    public func contains(_ date: Date) -> Bool { date >= start && date < end }

    /// Whether a span (open-ended when `until` is nil) overlaps the period.
    public func overlaps(_ since: Date?, _ until: Date?) -> Bool {
        (until ?? .distantFuture) >= start && (since ?? .distantPast) < end
    }

    /// Days (or, for a day or two, hours; for half a year or more, weeks) the charts count by.
    public var bucket: Bucket {
        if seconds <= 2 * 86_400 + 3600 { return .hour }
        return seconds <= 200 * 86_400 ? .day : .week
    }

    public enum Bucket: String, Sendable, Encodable { case hour, day, week }

    /// The query items that give this period back (empty for the default one).
    func queryItems(default defaultKind: Kind) -> [(String, String)] {
        switch kind {
        case .custom:
            return [("from", Self.text(from)), ("to", Self.text(to))].filter { !$0.1.isEmpty }
        case defaultKind:
            return []
        default:
            return [("period", kind.rawValue)]
        }
    }

    private static func text(_ bound: Bound?) -> String {
        switch bound {
        case .day(let year, let month, let day)?: String(format: "%04d-%02d-%02d", year, month, day)
        case .instant(let date)?: DisplayClock.iso(date)
        case nil: ""
        }
    }

    /// Most a custom period may span: a school year and a bit, so no page has to show everything ever stored.
    static let longestDays = 400

    /// - Parameters:
    ///   - termStart: the first day of the term; nil: the term is the last 90 days.
    static func resolve(kind: Kind?, from: Bound?, to: Bound?, defaultKind: Kind, termStart: Bound?,
                        calendar: Calendar, now: Date) throws(DashboardError) -> Period {
        let kind = kind ?? (from != nil || to != nil ? .custom : defaultKind)
        let today = calendar.startOfDay(for: now)
        func day(_ offset: Int) -> Date { calendar.date(byAdding: .day, value: offset, to: today)! }
        func start(_ bound: Bound) -> Date {
            switch bound {
            case .day(let y, let m, let d): calendar.date(from: DateComponents(year: y, month: m, day: d))!
            case .instant(let date): date
            }
        }
        func end(_ bound: Bound) -> Date {
            switch bound {
            case .day: calendar.date(byAdding: .day, value: 1, to: start(bound))!
            case .instant(let date): date
            }
        }
        if kind != .custom, from != nil || to != nil {
            throw .badRequest("from and to make a custom period: leave out period, or give period=custom")
        }
        switch kind {
        case .today: return Period(kind: kind, start: today, end: day(1), from: nil, to: nil)
        case .week: return Period(kind: kind, start: day(-6), end: day(1), from: nil, to: nil)
        case .month: return Period(kind: kind, start: day(-29), end: day(1), from: nil, to: nil)
        case .term:
            let first = termStart.map(start) ?? day(-89)
            return Period(kind: kind, start: min(first, today), end: day(1), from: nil, to: nil)
        case .custom:
            guard from != nil || to != nil else { throw .badRequest("period=custom needs from (and to): days as YYYY-MM-DD") }
            let upper = to.map(end) ?? day(1)
            let lower = from.map(start) ?? calendar.date(byAdding: .day, value: -30, to: upper)!
            guard lower < upper else { throw .badRequest("from must be before to") }
            guard upper.timeIntervalSince(lower) <= Double(longestDays) * 86_400 + 3600 else {
                throw .badRequest("a period spans at most \(longestDays) days")
            }
            return Period(kind: kind, start: lower, end: upper, from: from, to: to)
        }
    }

    /// `2026-11-22` as a day, or an ISO 8601 instant.
    static func parseBound(_ text: String) -> Bound? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if text.count == 10, parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
           (1970...9999).contains(y), (1...12).contains(m), (1...31).contains(d) {
            return .day(year: y, month: m, day: d)
        }
        return ZoomTime.parse(text).map(Bound.instant)
    }
}
