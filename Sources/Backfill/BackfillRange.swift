import Foundation

/// The days a backfill covers (UTC, both ends included), and their split into the windows the
/// Dashboard API accepts (`from`/`to` at most a month apart).
public struct BackfillRange: Sendable, Equatable {
    public let from: Date
    public let to: Date

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case notADate(String)
        case reversed
        /// The Dashboard API keeps the last six months only; `earliest` is the first day it has.
        case beforeDashboardWindow(earliest: String)

        public var description: String {
            switch self {
            case .notADate(let text): "\"\(text)\" is not a date in the form YYYY-MM-DD"
            case .reversed: "--to is before --from"
            case .beforeDashboardWindow(let earliest):
                "Zoom's Dashboard API has meetings of the last 6 months only: --from must be \(earliest) or later. "
                    + "For older meetings use the Report API: --source report --meeting ID... (it lists no meetings by date)"
            }
        }
    }

    public init(from: String, to: String) throws(Problem) {
        guard let start = Self.parse(from) else { throw .notADate(from) }
        guard let end = Self.parse(to) else { throw .notADate(to) }
        guard start <= end else { throw .reversed }
        self.from = start
        self.to = end
    }

    /// Refuses a range the Dashboard API cannot serve, before any request is made.
    public func checkDashboardWindow(now: Date) throws(Problem) {
        let earliest = Self.dashboardEarliest(now: now)
        guard from >= earliest else { throw .beforeDashboardWindow(earliest: Self.format(earliest)) }
    }

    /// Zoom says "the last six months" without defining it; taken as the same day six calendar
    /// months before today (UTC), e.g. 2026-06-02 on 2026-12-02.
    public static func dashboardEarliest(now: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar.date(byAdding: .month, value: -6, to: calendar.startOfDay(for: now)) ?? now
    }

    /// `yyyy-MM-dd` windows of at most `days` days covering the range.
    public func windows(days: Int = 30) -> [(from: String, to: String)] {
        var windows: [(String, String)] = []
        var start = from
        while start <= to {
            let end = min(start.addingTimeInterval(Double(days - 1) * 86_400), to)
            windows.append((Self.format(start), Self.format(end)))
            start = end.addingTimeInterval(86_400)
        }
        return windows
    }

    /// Whether a Zoom time (ISO 8601) falls on one of the range's days.
    public func contains(_ date: Date) -> Bool {
        date >= from && date < to.addingTimeInterval(86_400)
    }

    static func parse(_ text: String) -> Date? {
        guard text.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil,
              let date = try? Date(text + "T00:00:00Z", strategy: .iso8601), format(date) == text else { return nil }
        return date
    }

    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day())
    }
}
