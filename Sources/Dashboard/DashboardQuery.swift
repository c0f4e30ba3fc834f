import Foundation
import HTTPTypes
import ZoomModel

/// The query parameters of the views and the API, checked: a typo or a bad value is an error
/// with a reason, never silently ignored.
public struct DashboardQuery: Sendable, Equatable {
    public enum Key: String, Sendable, CaseIterable {
        /// Only this meeting (room), by its Zoom meeting id.
        case meeting
        /// How many recent joins and leaves per room, 1...500.
        case recent
        /// The older way to give a period: from / before this time (ISO 8601, or a day as YYYY-MM-DD in UTC).
        case since, until
        /// today, 7d, 30d, term, custom.
        case period
        /// A custom period: days (YYYY-MM-DD in the display zone, `to` included) or ISO 8601 times.
        case from, to
        /// Search: topic, meeting id or a name as the page shows it.
        case q
        /// The room view: live (default), ended, all.
        case status
        /// How many rows or rooms to show ("show more" raises it), 1...2000.
        case limit
        /// One occurrence of a meeting (its UUID), on the meeting page.
        case instance
    }

    public enum Status: String, Sendable { case live, ended, all }

    public var meetingID: String?
    public var recent = 12
    public var since: Date?
    public var until: Date?
    public var periodKind: Period.Kind?
    public var from: Period.Bound?
    public var to: Period.Bound?
    public var search: String?
    public var status: Status = .live
    public var limit: Int?
    public var instance: String?

    public init(meetingID: String? = nil, recent: Int = 12, since: Date? = nil, until: Date? = nil) {
        self.meetingID = meetingID
        self.recent = recent
        self.since = since
        self.until = until
    }

    public static func parse(_ parameters: some Sequence<(String, String)>, allowed: Set<Key>) throws(DashboardError) -> DashboardQuery {
        var query = DashboardQuery()
        var seen = Set<Key>()
        for (name, value) in parameters {
            guard let key = Key(rawValue: name), allowed.contains(key) else {
                let names = allowed.map(\.rawValue).sorted()
                throw .badRequest("unknown query parameter \"\(name)\"; "
                    + (names.isEmpty ? "this page takes none" : "this page takes " + names.joined(separator: ", ")))
            }
            guard seen.insert(key).inserted else { throw .badRequest("query parameter \"\(name)\" given twice") }
            let shown = value.prefix(64)
            switch key {
            case .meeting:
                guard (1...64).contains(value.count), !value.contains(where: \.isWhitespace) else {
                    throw .badRequest("meeting: expected a Zoom meeting id, got \"\(shown)\"")
                }
                query.meetingID = value
            case .recent:
                query.recent = try wholeNumber(value, in: 1...500, key: key)
            case .since, .until:
                guard let date = parseDate(value) else {
                    throw .badRequest("\(name): expected an ISO 8601 time (2026-11-22T08:00:00Z) or day (2026-11-22), got \"\(shown)\"")
                }
                if key == .since { query.since = date } else { query.until = date }
            case .period:
                // An empty value is what the period form sends for "custom" with from/to filled in.
                guard value.isEmpty || Period.Kind(rawValue: value) != nil else {
                    throw .badRequest("period: expected one of today, 7d, 30d, term, custom, got \"\(shown)\"")
                }
                query.periodKind = Period.Kind(rawValue: value)
            case .from, .to:
                if value.isEmpty { continue }
                guard let bound = Period.parseBound(value) else {
                    throw .badRequest("\(name): expected a day (2026-11-22) or an ISO 8601 time, got \"\(shown)\"")
                }
                if key == .from { query.from = bound } else { query.to = bound }
            case .q:
                let text = value.trimmingCharacters(in: .whitespaces)
                guard text.count <= 100 else { throw .badRequest("q: at most 100 characters") }
                query.search = text.isEmpty ? nil : text
            case .status:
                guard let status = Status(rawValue: value) else {
                    throw .badRequest("status: expected live, ended or all, got \"\(shown)\"")
                }
                query.status = status
            case .limit:
                query.limit = try wholeNumber(value, in: 1...2000, key: key)
            case .instance:
                guard (1...200).contains(value.count) else { throw .badRequest("instance: expected a meeting UUID") }
                query.instance = value
            }
        }
        if let since = query.since, let until = query.until, since >= until {
            throw .badRequest("since must be before until")
        }
        if (query.since != nil && query.from != nil) || (query.until != nil && query.to != nil) {
            throw .badRequest("give from/to or since/until, not both")
        }
        if let since = query.since { query.from = .instant(since) }
        if let until = query.until { query.to = .instant(until) }
        return query
    }

    /// The period the query names, else `defaultKind`'s.
    func period(default defaultKind: Period.Kind, termStart: Period.Bound?, calendar: Calendar, now: Date) throws(DashboardError) -> Period {
        try Period.resolve(kind: periodKind, from: from, to: to, defaultKind: defaultKind, termStart: termStart,
                           calendar: calendar, now: now)
    }

    /// `value` as a whole number in `range`, else why not.
    private static func wholeNumber(_ value: String, in range: ClosedRange<Int>, key: Key) throws(DashboardError) -> Int {
        guard let number = Int(value), range.contains(number) else {
            throw .badRequest("\(key.rawValue): expected a whole number in \(range.lowerBound)...\(range.upperBound), got \"\(value.prefix(64))\"")
        }
        return number
    }

    /// An ISO 8601 instant (the one parser: `ZoomTime.parse`, fractional seconds or not), else a UTC day.
    static func parseDate(_ text: String) -> Date? {
        ZoomTime.parse(text) ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day()))
    }

    /// Whether `text` (the search) appears in any of these, ignoring case and accents.
    func matches(_ fields: String?...) -> Bool {
        guard let search else { return true }
        return fields.contains { $0?.range(of: search, options: [.caseInsensitive, .diacriticInsensitive]) != nil }
    }
}

