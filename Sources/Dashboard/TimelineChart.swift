import Foundation

/// Disconnections and collective incidents on a time axis, one lane per meeting, as inline SVG:
/// drawn on the server, styled by the stylesheet, readable without the script.
enum TimelineChart {
    static let width = 720
    static let laneHeight = 40
    static let axisHeight = 24
    static let margin = 12

    static func render(_ report: StabilityReport, clock: DisplayClock) -> HTML {
        let instants = report.drops.map(\.at) + report.incidents.flatMap { [$0.startedAt, $0.endedAt] }
        guard let first = instants.min(), let last = instants.max() else {
            return "<p class=\"empty\">No disconnections in this period.</p>"
        }
        let span = max(last.timeIntervalSince(first), 60)
        let (from, to) = (first.addingTimeInterval(-span * 0.05), last.addingTimeInterval(span * 0.05))
        let lanes = Array(Set(report.drops.map(\.meetingID) + report.incidents.map(\.meetingID))).sorted()
        let height = axisHeight + lanes.count * laneHeight + 8
        func x(_ date: Date) -> Int {
            margin + Int((Double(width - 2 * margin) * date.timeIntervalSince(from) / to.timeIntervalSince(from)).rounded())
        }
        func laneY(_ meetingID: String) -> Int { axisHeight + (lanes.firstIndex(of: meetingID) ?? 0) * laneHeight }

        var parts: [HTML] = []
        for tick in ticks(from: from, to: to, clock: clock) {
            parts.append("<line class=\"tick\" x1=\"\(x(tick.at))\" x2=\"\(x(tick.at))\" y1=\"\(axisHeight - 6)\" y2=\"\(height)\"/>")
            parts.append("<text class=\"tick-label\" x=\"\(x(tick.at))\" y=\"\(axisHeight - 10)\">\(tick.label)</text>")
        }
        for meetingID in lanes {
            let y = laneY(meetingID)
            parts.append("<text class=\"lane-label\" x=\"\(margin)\" y=\"\(y + 12)\">\(report.topics[meetingID] ?? meetingID)</text>")
            parts.append("<line class=\"lane\" x1=\"\(margin)\" x2=\"\(width - margin)\" y1=\"\(y + 26)\" y2=\"\(y + 26)\"/>")
        }
        for incident in report.incidents {
            let left = x(incident.startedAt)
            let kind = incident.platformWide ? "incident platform-wide" : "incident"
            let what = "\(incident.participantCount) dropped at \(clock.tick(incident.startedAt, daily: false))"
                + (incident.platformWide ? " — platform-wide" : "")
            parts.append("""
                <rect class="\(kind)" data-incident="\(incident.id)" x="\(left - 4)" y="\(laneY(incident.meetingID) + 17)" \
                width="\(max(8, x(incident.endedAt) - left + 8))" height="18" rx="4"><title>\(what)</title></rect>
                """)
        }
        for drop in report.drops {
            let back = drop.returnedAt.map { "back after " + DisplayClock.duration(Int($0.timeIntervalSince(drop.at))) } ?? "not back"
            parts.append("""
                <circle class="drop\(drop.bounced ? " bounced" : "")" cx="\(x(drop.at))" cy="\(laneY(drop.meetingID) + 26)" r="5">\
                <title>\(drop.name) — \(clock.tick(drop.at, daily: false)) — \(back)</title></circle>
                """)
        }
        return """
            <figure class="timeline">
            <svg viewBox="0 0 \(width) \(height)" role="img" aria-labelledby="timeline-title">
            <title id="timeline-title">Disconnections and collective incidents over time</title>
            \(parts)
            </svg>
            <figcaption><span class="key drop"></span> disconnection <span class="key bounced"></span> came back quickly \
            <span class="key incident"></span> collective incident <span class="key platform-wide"></span> platform-wide</figcaption>
            </figure>
            """
    }

    struct Tick: Equatable {
        let at: Date
        let label: String
    }

    /// At most about six ticks on round local times (minutes, hours or days).
    static func ticks(from: Date, to: Date, clock: DisplayClock) -> [Tick] {
        let steps = [60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172_800, 604_800]
        let span = to.timeIntervalSince(from)
        let step = steps.first { span / Double($0) <= 6 } ?? steps.last!
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
