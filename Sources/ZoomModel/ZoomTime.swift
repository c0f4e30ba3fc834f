import Foundation

/// Zoom's times: ISO 8601 in UTC, `2026-11-22T08:01:02Z`, sometimes with fractional seconds.
public enum ZoomTime {
    public static func parse(_ text: String?) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// As Zoom writes it: whole seconds, `Z`; fractional seconds only when there are some.
    public static func format(_ date: Date) -> String {
        let whole = date.timeIntervalSince1970.rounded(.down) == date.timeIntervalSince1970
        return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: !whole, timeZone: .gmt))
    }

    /// Milliseconds since 1970, Zoom's `event_ts` unit.
    public static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}
