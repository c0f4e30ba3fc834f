import Foundation

/// One meeting instance over time: how many people were in (a step line, its peak marked), with
/// the drops, reconnects and collective incidents along the top, as inline SVG. The line is drawn
/// in a stretched inner picture (its stroke does not scale); text and marks stay outside it, in
/// percent, so they keep their size.
enum OccupancyChart {
    static let height = 150
    static let top = 24
    static let plot = 100

    static func render(_ instance: MeetingReport.Instance, clock: DisplayClock) -> HTML {
        let points = instance.occupancy
        guard let first = points.first, let last = points.last else { return "" }
        let from = instance.meeting.startedAt.map { min($0, first.at) } ?? first.at
        let to = max(instance.meeting.endedAt ?? clock.now, last.at, from.addingTimeInterval(600))
        let span = to.timeIntervalSince(from)
        func x(_ date: Date) -> Double { 100 * min(max(date.timeIntervalSince(from) / span, 0), 1) }
        let most = max(points.map(\.people).max() ?? 1, 1)
        let (step, count) = BarChart.scale(Double(most))
        let maximum = step * Double(count)
        func y(_ people: Double) -> Double { Double(top) + Double(plot) * (1 - people / maximum) }
        var path = "M0 100", previous = 0
        for point in points {
            let px = Int((x(point.at) * 10).rounded())
            path += " L\(px) \(Int(100 - 100 * Double(previous) / maximum)) L\(px) \(Int(100 - 100 * Double(point.people) / maximum))"
            previous = point.people
        }
        path += " L\(Int(x(instance.meeting.endedAt ?? clock.now) * 10)) \(Int(100 - 100 * Double(previous) / maximum))"
        var parts: [HTML] = []
        for k in 1...count {
            let level = y(step * Double(k))
            parts.append("""
                <line class="grid" x1="0" x2="100%" y1="\(BarChart.number(level))" y2="\(BarChart.number(level))"/>\
                <text class="y-label" x="2" y="\(BarChart.number(level - 3))">\(Int(step) * k)</text>
                """)
        }
        for incident in instance.stability.incidents {
            parts.append("""
                <rect class="\(incident.platformWide ? "incident platform-wide" : "incident")" x="\(TimelineChart.percent(x(incident.startedAt) - 0.3))" \
                y="\(top)" width="\(TimelineChart.percent(max(x(incident.endedAt) - x(incident.startedAt), 0) + 0.6))" height="\(plot)">\
                <title>\(incident.participantCount) dropped at \(clock.tick(incident.startedAt, daily: false))\(incident.platformWide ? " — platform-wide" : "")</title></rect>
                """)
        }
        parts.append("""
            <svg x="0" y="\(top)" width="100%" height="\(plot)" viewBox="0 0 1000 100" preserveAspectRatio="none" class="occupancy">\
            <path d="\(path)" vector-effect="non-scaling-stroke"/></svg>
            """)
        for event in instance.events where event.kind == .dropped || event.kind == .reconnected {
            parts.append("""
                <circle class="\(event.kind == .dropped ? "drop" : "drop bounced")" cx="\(TimelineChart.percent(x(event.at)))" cy="\(top - 10)" r="4">\
                <title>\(event.name ?? "Someone") \(event.kind == .dropped ? "dropped" : "reconnected") at \(clock.tick(event.at, daily: false))</title></circle>
                """)
        }
        if let peak = points.max(by: { $0.people < $1.people }) {
            let position = x(peak.at)
            parts.append("""
                <text class="peak-label" text-anchor="\(position > 80 ? "end" : "start")" x="\(TimelineChart.percent(position))" \
                y="\(BarChart.number(y(Double(peak.people)) - 4))">peak \(peak.people) at \(clock.tick(peak.at, daily: false))</text>
                """)
        }
        parts.append(BarChart.axis(from: from, to: to, clock: clock, y: top + plot, x: x))
        return """
            <figure class="chart"><figcaption>People in the meeting <span class="key drop"></span> dropped \
            <span class="key bounced"></span> reconnected <span class="key incident"></span> collective incident</figcaption>
            <svg class="chart" width="100%" height="\(height)" role="img" aria-label="People in the meeting over time">\(parts)</svg></figure>
            """
    }
}
