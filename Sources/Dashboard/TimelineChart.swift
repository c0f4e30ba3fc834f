import Foundation

/// Disconnections and collective incidents on a time axis, one lane per meeting, as inline SVG
/// drawn on the server. Horizontal positions are percentages, not a scaled viewBox, so the chart
/// fills a phone or a wide screen and its text stays the size of the page's text.
enum TimelineChart {
    static let laneHeight = 46
    static let axisHeight = 22

    static func render(_ report: StabilityReport, clock: DisplayClock) -> HTML {
        guard let period = report.period, !(report.drops.isEmpty && report.incidents.isEmpty) else {
            return "<p class=\"empty\">No disconnections in this period.</p>"
        }
        let lanes = Array(Set(report.drops.map(\.meetingID) + report.incidents.map(\.meetingID))).sorted()
        let height = axisHeight + lanes.count * laneHeight
        let span = period.until.timeIntervalSince(period.from)
        /// 1 % of margin each side, so marks at the ends stay whole.
        func x(_ date: Date) -> Double { 1 + 98 * min(max(date.timeIntervalSince(period.from) / span, 0), 1) }
        func laneY(_ meetingID: String) -> Int { axisHeight + (lanes.firstIndex(of: meetingID) ?? 0) * laneHeight }

        var parts: [HTML] = []
        // Labels centred on a tick near an edge would be cut off.
        for tick in ticks(from: period.from, to: period.until, clock: clock) where (4...96).contains(x(tick.at)) {
            parts.append("""
                <line class="tick" x1="\(percent(x(tick.at)))" x2="\(percent(x(tick.at)))" y1="\(axisHeight - 4)" y2="\(height)"/>\
                <text class="tick-label" x="\(percent(x(tick.at)))" y="\(axisHeight - 8)">\(tick.label)</text>
                """)
        }
        for meetingID in lanes {
            let y = laneY(meetingID)
            parts.append("""
                <text class="lane-label" x="1%" y="\(y + 14)">\(report.topics[meetingID] ?? "Meeting \(meetingID)")</text>\
                <line class="lane" x1="1%" x2="99%" y1="\(y + 30)" y2="\(y + 30)"/>
                """)
        }
        for incident in report.incidents {
            let (left, right) = (x(incident.startedAt), x(incident.endedAt))
            let what = "\(incident.participantCount) dropped at \(clock.tick(incident.startedAt, daily: false))"
                + (incident.platformWide ? " — platform-wide" : "")
            // At least 1 % wide, so a burst of drops within seconds is still visible.
            parts.append("""
                <rect class="\(incident.platformWide ? "incident platform-wide" : "incident")" data-incident="\(incident.id)" \
                x="\(percent(min(left, 98.5) - 0.5))" y="\(laneY(incident.meetingID) + 20)" width="\(percent(max(right - left, 0) + 1))" \
                height="20" rx="4"><title>\(what)</title></rect>
                """)
        }
        for drop in report.drops {
            let back = drop.returnedAt.map { "back after " + DisplayClock.duration(Int($0.timeIntervalSince(drop.at))) } ?? "not back"
            parts.append("""
                <circle class="\(drop.bounced ? "drop bounced" : "drop")" cx="\(percent(x(drop.at)))" cy="\(laneY(drop.meetingID) + 30)" r="5">\
                <title>\(drop.name) — \(clock.tick(drop.at, daily: false)) — \(back)</title></circle>
                """)
        }
        return """
            <figure class="timeline">
            <svg width="100%" height="\(height)" role="img" aria-labelledby="timeline-title">
            <title id="timeline-title">Disconnections and collective incidents over time</title>
            \(parts)
            </svg>
            <figcaption><span class="key drop"></span> disconnection <span class="key bounced"></span> came back quickly \
            <span class="key incident"></span> collective incident <span class="key platform-wide"></span> platform-wide</figcaption>
            </figure>
            """
    }

    /// `12.34%`.
    static func percent(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        return "\(hundredths / 100)." + (hundredths % 100 < 10 ? "0" : "") + "\(hundredths % 100)%"
    }

    struct Tick: Equatable {
        let at: Date
        let label: String
    }

    /// At most five ticks on round local times (minutes, hours or days), so labels fit on a phone.
    static func ticks(from: Date, to: Date, clock: DisplayClock) -> [Tick] {
        let steps = [60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172_800, 604_800]
        let span = to.timeIntervalSince(from)
        let step = steps.first { span / Double($0) <= 5 } ?? steps.last!
        let offset = clock.offset(at: from)
        let local = Int(from.timeIntervalSince1970.rounded(.up)) + offset
        var next = (local + step - 1) / step * step - offset
        var ticks: [Tick] = []
        while Double(next) <= to.timeIntervalSince1970 {
            let at = Date(timeIntervalSince1970: Double(next))
            ticks.append(Tick(at: at, label: clock.tick(at, daily: step >= 86400)))
            next += step
        }
        return ticks
    }
}
