import Foundation

/// Disconnections and collective incidents on a time axis over the report's period, one lane per
/// meeting for the meetings with the most (the rest share one lane), as inline SVG drawn on the
/// server. Horizontal positions are percentages, not a scaled viewBox, so the chart fills a phone
/// or a wide screen and its text stays the size of the page's text. Past a few hundred drops a
/// lane shows how many fell in each stretch of time instead of a dot per drop.
enum TimelineChart {
    static let laneHeight = 46
    static let axisHeight = 24
    static let dotsAtMost = 400
    static let bins = 120

    static func render(_ report: StabilityReport, clock: DisplayClock) -> HTML {
        guard let period = report.period, !report.timeline.lanes.isEmpty else {
            return "<p class=\"empty\">No disconnections in this period.</p>"
        }
        let lanes = report.timeline.lanes
        let height = lanes.count * laneHeight + axisHeight
        let span = period.until.timeIntervalSince(period.from)
        /// 1 % of margin each side, so marks at the ends stay whole.
        func x(_ date: Date) -> Double { 1 + 98 * min(max(date.timeIntervalSince(period.from) / span, 0), 1) }
        let dots = lanes.reduce(0) { $0 + $1.drops.count } <= dotsAtMost
        var parts: [HTML] = []
        for (number, lane) in lanes.enumerated() {
            let y = number * laneHeight
            parts.append("""
                <text class="lane-label" x="1%" y="\(y + 14)">\(lane.label)</text>\
                <line class="lane" x1="1%" x2="99%" y1="\(y + 30)" y2="\(y + 30)"/>
                """)
            for incident in lane.incidents {
                let (left, right) = (x(incident.startedAt), x(incident.endedAt))
                let what = "\(incident.participantCount) dropped at \(clock.tick(incident.startedAt, daily: false)), \(clock.day(incident.startedAt))"
                    + (incident.platformWide ? " — platform-wide" : "")
                // At least 0.6 % wide, so a burst of drops within seconds is still visible.
                parts.append("""
                    <rect class="\(incident.platformWide ? "incident platform-wide" : "incident")" data-incident="\(incident.id)" \
                    x="\(percent(min(left, 98.7) - 0.3))" y="\(y + 20)" width="\(percent(max(right - left, 0) + 0.6))" \
                    height="20" rx="3"><title>\(what)</title></rect>
                    """)
            }
            if dots {
                for drop in lane.drops {
                    parts.append("""
                        <circle class="\(drop.bounced ? "drop bounced" : "drop")" cx="\(percent(x(drop.at)))" cy="\(y + 30)" r="5">\
                        <title>\(drop.title) — \(clock.tick(drop.at, daily: false)), \(clock.day(drop.at))</title></circle>
                        """)
                }
            } else {
                parts.append(density(lane, y: y, from: period.from, span: span, clock: clock))
            }
        }
        parts.append(BarChart.axis(from: period.from, to: period.until, clock: clock, y: lanes.count * laneHeight, x: x))
        return """
            <figure class="timeline">
            <svg width="100%" height="\(height)" role="img" aria-labelledby="timeline-title">
            <title id="timeline-title">Disconnections and collective incidents over time</title>
            \(parts)
            </svg>
            <figcaption><span class="key drop"></span> disconnection <span class="key bounced"></span> came back quickly \
            <span class="key incident"></span> collective incident <span class="key platform-wide"></span> platform-wide\
            \(dots ? "" : " · bars: drops per stretch of time")</figcaption>
            </figure>
            """
    }

    /// Drops per bin as bars standing on the lane, tallest the busiest bin.
    static func density(_ lane: StabilityReport.Timeline.Lane, y: Int, from: Date, span: TimeInterval, clock: DisplayClock) -> HTML {
        var counts = [Int](repeating: 0, count: bins)
        for drop in lane.drops {
            counts[min(bins - 1, max(0, Int(drop.at.timeIntervalSince(from) / span * Double(bins))))] += 1
        }
        let most = max(counts.max() ?? 1, 1)
        return HTML(joining: counts.enumerated().filter { $0.element > 0 }.map { bin, count -> HTML in
            let height = max(2, 18 * count / most)
            let start = from.addingTimeInterval(span * Double(bin) / Double(bins))
            return """
                <rect class="drop" x="\(percent(1 + 98 * Double(bin) / Double(bins)))" y="\(y + 30 - height)" \
                width="\(percent(98 / Double(bins) * 0.8))" height="\(height)"><title>\(count) drops from \(clock.tick(start, daily: false)), \(clock.day(start))</title></rect>
                """
        })
    }

    /// `12.34%`.
    static func percent(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        return "\(hundredths / 100)." + (hundredths % 100 < 10 ? "0" : "") + "\(hundredths % 100)%"
    }

    /// Ticks for the span (kept for callers that want them without a chart).
    static func ticks(from: Date, to: Date, clock: DisplayClock) -> [TimeAxis.Tick] { TimeAxis.ticks(from: from, to: to, clock: clock) }
}
