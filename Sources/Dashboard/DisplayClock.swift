import Foundation

/// Times and durations as the pages show them, in the configured time zone.
struct DisplayClock: Sendable {
    let timeZone: TimeZone
    let now: Date
    let calendar: Calendar
    private let today: DateComponents

    init(timeZone: TimeZone, now: Date) {
        self.timeZone = timeZone
        self.now = now
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
        today = calendar.dateComponents([.year, .month, .day], from: now)
    }

    /// `08:20:45` today, `2026-11-21 08:20` another day, in a `<time>` element.
    func time(_ date: Date) -> HTML {
        let c = components(date)
        let text = (c.year, c.month, c.day) == (today.year, today.month, today.day)
            ? "\(pad(c.hour!)):\(pad(c.minute!)):\(pad(c.second!))"
            : "\(c.year!)-\(pad(c.month!))-\(pad(c.day!)) \(pad(c.hour!)):\(pad(c.minute!))"
        return "<time datetime=\"\(Self.iso(date))\">\(text)</time>"
    }

    /// `08:20` or, for ticks a day or more apart, `22 Nov`.
    func tick(_ date: Date, daily: Bool) -> String {
        let c = components(date)
        if daily { return "\(c.day!) \(Self.months[c.month! - 1])" }
        return "\(pad(c.hour!)):\(pad(c.minute!))"
    }

    /// `Nov 2026`, for month ticks.
    func month(_ date: Date) -> String {
        let c = components(date)
        return "\(Self.months[c.month! - 1]) \(c.year!)"
    }

    /// `Mon 30 Nov` (and the year when it is not this year's), for a day's row or title.
    func day(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
        let year = c.year == today.year ? "" : " \(c.year!)"
        return "\(Self.weekdays[c.weekday! - 1]) \(c.day!) \(Self.months[c.month! - 1])\(year)"
    }

    /// `Mon 30 Nov, 08:00`, for an hour's row or title.
    func hour(_ date: Date) -> String { day(date) + ", " + tick(date, daily: false) }

    /// `2026-11-22`, the day in the display zone (an `<input type="date">`'s value).
    func isoDay(_ date: Date) -> String {
        let c = components(date)
        return "\(c.year!)-\(pad(c.month!))-\(pad(c.day!))"
    }

    /// A bucket's name: its day, hour or week.
    func bucket(_ date: Date, _ kind: Period.Bucket) -> String {
        switch kind {
        case .hour: hour(date)
        case .day: day(date)
        case .week: "week of " + day(date)
        }
    }

    /// Seconds from UTC at `date` in the display zone, to align ticks on local hours.
    func offset(at date: Date) -> Int { timeZone.secondsFromGMT(for: date) }

    private func components(_ date: Date) -> DateComponents {
        calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    }

    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar
    }()

    /// `2026-11-22T08:20:45Z`, as the API writes times.
    static func iso(_ date: Date) -> String {
        let c = utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return "\(c.year!)-\(pad(c.month!))-\(pad(c.day!))T\(pad(c.hour!)):\(pad(c.minute!)):\(pad(c.second!))Z"
    }

    /// `45 s`, `12 min`, `1 h 05 min`; the page script formats live counters the same way.
    static func duration(_ seconds: Int) -> String {
        let seconds = max(0, seconds)
        if seconds < 60 { return "\(seconds) s" }
        let minutes = seconds / 60
        if minutes < 60 { return "\(minutes) min" }
        return "\(minutes / 60) h \(pad(minutes % 60)) min"
    }

    /// A duration that keeps counting in the browser: `base` seconds at `since`, plus time passed.
    func counter(since: Date, base: Int = 0) -> HTML {
        let shown = Self.duration(base + Int(now.timeIntervalSince(since)))
        return "<span class=\"counter\" data-since=\"\(Int(since.timeIntervalSince1970 * 1000))\" data-base=\"\(base)\">\(shown)</span>"
    }
}

/// Two digits, zero-padded (hours, minutes, days).
private func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
