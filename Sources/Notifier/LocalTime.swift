import Foundation

/// Times as the people in the channel read them: in the configured time zone, with its abbreviation.
public struct LocalTime: Sendable {
    public let timeZone: TimeZone
    private let calendar: Calendar

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// "2026-11-22 09:01:02 CET"
    public func dateTime(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d ", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
            + clock(date) + " " + zone(date)
    }

    /// "09:01:02–09:03:40 CET" on one day, else both in full.
    public func range(_ start: Date, _ end: Date) -> String {
        guard start != end else { return dateTime(start) }
        if calendar.isDate(start, inSameDayAs: end) {
            return "\(clock(start))–\(clock(end)) \(zone(end))"
        }
        return "\(dateTime(start)) – \(dateTime(end))"
    }

    private func clock(_ date: Date) -> String {
        let parts = calendar.dateComponents([.hour, .minute, .second], from: date)
        return String(format: "%02d:%02d:%02d", parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }

    private func zone(_ date: Date) -> String {
        timeZone.abbreviation(for: date) ?? timeZone.identifier
    }

    /// "43 min 18 s", "2 h 5 min", "12 s".
    public static func duration(_ interval: TimeInterval) -> String {
        let seconds = max(0, Int(interval.rounded()))
        let (hours, minutes, rest) = (seconds / 3600, seconds % 3600 / 60, seconds % 60)
        if hours > 0 { return minutes > 0 ? "\(hours) h \(minutes) min" : "\(hours) h" }
        if minutes > 0 { return rest > 0 ? "\(minutes) min \(rest) s" : "\(minutes) min" }
        return "\(rest) s"
    }
}
