import Foundation

/// Times and durations as the pages show them, in the configured time zone.
struct DisplayClock: Sendable {
    let timeZone: TimeZone
    let now: Date

    /// `08:20:45` today, `2026-11-21 08:20` another day, in a `<time>` element.
    func time(_ date: Date) -> HTML {
        let c = components(date)
        let today = components(now)
        let text = (c.year, c.month, c.day) == (today.year, today.month, today.day)
            ? String(format: "%02d:%02d:%02d", c.hour!, c.minute!, c.second!)
            : String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
        return "<time datetime=\"\(Self.iso(date))\">\(text)</time>"
    }

    /// `08:20` or, for ticks a day or more apart, `22 Nov`.
    func tick(_ date: Date, daily: Bool) -> String {
        let c = components(date)
        if daily { return "\(c.day!) \(Self.months[c.month! - 1])" }
        return String(format: "%02d:%02d", c.hour!, c.minute!)
    }

    /// Seconds from UTC at `date` in the display zone, to align ticks on local hours.
    func offset(at date: Date) -> Int { timeZone.secondsFromGMT(for: date) }

    private func components(_ date: Date) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func iso(_ date: Date) -> String { date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt)) }

    /// `45 s`, `12 min`, `1 h 05 min`; the page script formats live counters the same way.
    static func duration(_ seconds: Int) -> String {
        let seconds = max(0, seconds)
        if seconds < 60 { return "\(seconds) s" }
        let minutes = seconds / 60
        if minutes < 60 { return "\(minutes) min" }
        return "\(minutes / 60) h " + String(format: "%02d", minutes % 60) + " min"
    }

    /// A duration that keeps counting in the browser: `base` seconds at `since`, plus time passed.
    func counter(since: Date, base: Int = 0) -> HTML {
        let shown = Self.duration(base + Int(now.timeIntervalSince(since)))
        return "<span class=\"counter\" data-since=\"\(Int(since.timeIntervalSince1970 * 1000))\" data-base=\"\(base)\">\(shown)</span>"
    }
}
