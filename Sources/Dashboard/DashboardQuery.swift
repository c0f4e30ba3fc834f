import Foundation
import HTTPTypes

/// The query parameters of the views and the API, checked: a typo or a bad value is an error
/// with a reason, never silently ignored.
public struct DashboardQuery: Sendable, Equatable {
    public enum Key: String, Sendable, CaseIterable {
        /// Only this meeting (room), by its Zoom meeting id.
        case meeting
        /// How many recent joins and leaves per room, 1...500.
        case recent
        /// Only what happened from / before this time (ISO 8601, or a day as YYYY-MM-DD in UTC).
        case since, until
    }

    public var meetingID: String?
    public var recent = 12
    public var since: Date?
    public var until: Date?

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
            switch key {
            case .meeting:
                guard (1...64).contains(value.count), !value.contains(where: \.isWhitespace) else {
                    throw .badRequest("meeting: expected a Zoom meeting id, got \"\(value.prefix(64))\"")
                }
                query.meetingID = value
            case .recent:
                guard let number = Int(value), (1...500).contains(number) else {
                    throw .badRequest("recent: expected a whole number in 1...500, got \"\(value.prefix(64))\"")
                }
                query.recent = number
            case .since, .until:
                guard let date = parseDate(value) else {
                    throw .badRequest("\(name): expected an ISO 8601 time (2026-11-22T08:00:00Z) or day (2026-11-22), got \"\(value.prefix(64))\"")
                }
                if key == .since { query.since = date } else { query.until = date }
            }
        }
        if let since = query.since, let until = query.until, since >= until {
            throw .badRequest("since must be before until")
        }
        return query
    }

    static func parseDate(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day())
    }

    /// Whether `date` lies in the since/until window.
    func contains(_ date: Date) -> Bool {
        (since.map { date >= $0 } ?? true) && (until.map { date < $0 } ?? true)
    }

    /// Whether a span (open-ended when `end` is nil) overlaps the window.
    func overlaps(_ start: Date?, _ end: Date?) -> Bool {
        (since.map { (end ?? .distantFuture) >= $0 } ?? true) && (until.map { (start ?? .distantPast) < $0 } ?? true)
    }
}

/// A request the dashboard refuses, with the reason given back as JSON.
public struct DashboardError: Error, Sendable, Equatable {
    public let status: HTTPResponse.Status
    public let reason: String

    public static func badRequest(_ reason: String) -> Self { Self(status: .badRequest, reason: reason) }
    public static func unauthorized(_ reason: String) -> Self { Self(status: .unauthorized, reason: reason) }
    public static func notFound(_ reason: String) -> Self { Self(status: .notFound, reason: reason) }
    public static func unavailable(_ reason: String) -> Self { Self(status: .serviceUnavailable, reason: reason) }
}
