import Foundation

/// Ticks for a time axis, chosen for the span: minutes or hours within a day, days, weeks (on
/// Mondays), months or years beyond; never more than `most`, so short labels (`08:00`, `22 Nov`,
/// `Nov 2026`) do not overprint even on a phone (the browser test measures them).
enum TimeAxis {
    struct Tick: Equatable {
        let at: Date
        let label: String
    }

    enum Step: Equatable {
        case seconds(Int)
        case days(Int)
        case weeks(Int)
        case months(Int)
    }

    static let steps: [Step] = [60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200].map { .seconds($0) }
        + [.days(1), .days(2), .weeks(1), .weeks(2), .months(1), .months(3), .months(6), .months(12)]

    static func ticks(from: Date, to: Date, clock: DisplayClock, most: Int = 6) -> [Tick] {
        guard to > from else { return [] }
        for step in steps {
            let ticks = make(step, from: from, to: to, clock: clock, limit: most + 1)
            if ticks.count <= most { return ticks }
        }
        return make(.months(12 * Int((to.timeIntervalSince(from) / (365 * 86_400 * Double(most))).rounded(.up))),
                    from: from, to: to, clock: clock, limit: most)
    }

    private static func make(_ step: Step, from: Date, to: Date, clock: DisplayClock, limit: Int) -> [Tick] {
        let calendar = clock.calendar
        var ticks: [Tick] = []
        let multiDay = !calendar.isDate(from, inSameDayAs: to)
        switch step {
        case .seconds(let seconds):
            let offset = clock.offset(at: from)
            let local = Int(from.timeIntervalSince1970.rounded(.up)) + offset
            var next = (local + seconds - 1) / seconds * seconds - offset
            while Double(next) <= to.timeIntervalSince1970, ticks.count < limit {
                let at = Date(timeIntervalSince1970: Double(next))
                let midnight = calendar.startOfDay(for: at) == at
                ticks.append(Tick(at: at, label: multiDay && midnight ? clock.tick(at, daily: true) : clock.tick(at, daily: false)))
                next += seconds
            }
        case .days(let days):
            ticks = daily(every: days, mondays: false, from: from, to: to, clock: clock, limit: limit)
        case .weeks(let weeks):
            ticks = daily(every: 7 * weeks, mondays: true, from: from, to: to, clock: clock, limit: limit)
        case .months(let months):
            var parts = calendar.dateComponents([.year, .month], from: from)
            parts.month = ((parts.month! - 1) / months) * months + 1
            var at = calendar.date(from: parts)!
            if at < from { at = calendar.date(byAdding: .month, value: months, to: at)! }
            while at <= to, ticks.count < limit {
                ticks.append(Tick(at: at, label: months >= 12 ? String(calendar.component(.year, from: at)) : clock.month(at)))
                at = calendar.date(byAdding: .month, value: months, to: at)!
            }
        }
        return ticks
    }

    /// Local midnights `every` days apart, from the first one (the first Monday) in the span.
    private static func daily(every days: Int, mondays: Bool, from: Date, to: Date, clock: DisplayClock, limit: Int) -> [Tick] {
        let calendar = clock.calendar
        var at = calendar.startOfDay(for: from)
        if at < from { at = calendar.date(byAdding: .day, value: 1, to: at)! }
        while mondays, calendar.component(.weekday, from: at) != 2 { at = calendar.date(byAdding: .day, value: 1, to: at)! }
        var ticks: [Tick] = []
        while at <= to, ticks.count < limit {
            ticks.append(Tick(at: at, label: clock.tick(at, daily: true)))
            at = calendar.date(byAdding: .day, value: days, to: at)!
        }
        return ticks
    }
}
