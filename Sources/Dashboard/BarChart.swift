import Foundation

/// Bars over time (one per hour, day or week), stacked by kind, as inline SVG drawn on the server:
/// horizontal positions in percent (the chart fills any width, its text keeps the page's size),
/// a time axis from `TimeAxis`, a few round values up the side, an optional reference line (the
/// median), a hover title on every bar, and a link from a bar to that hour or day.
enum BarChart {
    struct Segment {
        let value: Double
        /// CSS class: `drop`, `reconnect`, `hours`, ...
        let kind: String
    }

    struct Bar {
        let start: Date
        let end: Date
        let segments: [Segment]
        let title: String
        /// Drawn with a mark above it (a platform-wide incident that day).
        let marked: Bool
        let link: String?
    }

    static let plotHeight = 140
    static let top = 16
    static let axisHeight = 22

    static func render(_ label: String, bars: [Bar], from: Date, to: Date, clock: DisplayClock,
                       reference: (value: Double, label: String)? = nil, format: (Double) -> String) -> HTML {
        let height = top + plotHeight + axisHeight
        let highest = max(bars.map { $0.segments.reduce(0) { $0 + $1.value } }.max() ?? 0, reference?.value ?? 0)
        let (step, count) = scale(highest)
        let maximum = step * Double(count)
        let span = to.timeIntervalSince(from)
        func x(_ date: Date) -> Double { 100 * min(max(date.timeIntervalSince(from) / span, 0), 1) }
        func y(_ value: Double) -> Double { Double(top) + Double(plotHeight) * (1 - value / maximum) }
        var parts: [HTML] = [], labels: [HTML] = []
        for k in 0...count {
            let value = step * Double(k)
            let level = y(value)
            parts.append("<line class=\"grid\" x1=\"0\" x2=\"100%\" y1=\"\(number(level))\" y2=\"\(number(level))\"/>")
            // Drawn after the bars, on a halo of the page's colour, so a bar never hides them.
            if k > 0 { labels.append("<text class=\"y-label\" x=\"2\" y=\"\(number(level - 3))\">\(format(value))</text>") }
        }
        for bar in bars {
            let (left, right) = (x(bar.start), x(bar.end))
            let gap = (right - left) * 0.15
            var base = 0.0
            var rects: [HTML] = []
            for segment in bar.segments where segment.value > 0 {
                let (upper, lower) = (y(base + segment.value), y(base))
                rects.append("""
                    <rect class="\(segment.kind)" x="\(TimelineChart.percent(left + gap / 2))" y="\(number(upper))" \
                    width="\(TimelineChart.percent(max(right - left - gap, 0.2)))" height="\(number(max(lower - upper, 1)))"/>
                    """)
                base += segment.value
            }
            // The whole column answers the hover, not only the (maybe tiny) bar.
            rects.insert("""
                <rect class="hit" x="\(TimelineChart.percent(left))" y="\(top)" width="\(TimelineChart.percent(right - left))" height="\(plotHeight)"/>
                """, at: 0)
            if bar.marked {
                rects.append("""
                    <rect class="mark platform-wide" x="\(TimelineChart.percent(left + gap / 2))" y="\(number(y(base) - 7))" \
                    width="\(TimelineChart.percent(max(right - left - gap, 0.2)))" height="4" rx="1"/>
                    """)
            }
            let group: HTML = "<g class=\"bar\"><title>\(bar.title)</title>\(rects)</g>"
            parts.append(bar.link.map { "<a href=\"\($0)\">\(group)</a>" } ?? group)
        }
        if let reference, reference.value > 0 {
            let level = number(y(reference.value))
            parts.append("""
                <line class="reference" x1="0" x2="100%" y1="\(level)" y2="\(level)"/>\
                <text class="reference-label" x="99.5%" y="\(number(y(reference.value) - 3))">\(reference.label)</text>
                """)
        }
        parts += labels
        // A day's (or week's) label sits under the middle of its bar, not at its left edge.
        let length = bars.first.map { $0.end.timeIntervalSince($0.start) } ?? 0
        parts.append(axis(from: from, to: to, clock: clock, y: top + plotHeight, x: x, shift: length >= 86_000 ? length / 2 : 0))
        return """
            <svg class="chart" width="100%" height="\(height)" role="img" aria-label="\(label)"><title>\(label)</title>\(parts)</svg>
            """
    }

    /// The time axis under a plot: a tick mark and a label per tick; a label near an edge is
    /// anchored to that edge so it is not cut off.
    static func axis(from: Date, to: Date, clock: DisplayClock, y: Int, x: (Date) -> Double, shift: TimeInterval = 0) -> HTML {
        HTML(joining: TimeAxis.ticks(from: from, to: to.addingTimeInterval(-shift), clock: clock).map { tick -> HTML in
            let position = x(tick.at.addingTimeInterval(shift))
            let anchor = position < 6 ? "start" : position > 94 ? "end" : "middle"
            return """
                <line class="tick" x1="\(TimelineChart.percent(position))" x2="\(TimelineChart.percent(position))" y1="\(y)" y2="\(y + 4)"/>\
                <text class="tick-label" text-anchor="\(anchor)" x="\(TimelineChart.percent(position))" y="\(y + 16)">\(tick.label)</text>
                """
        })
    }

    /// A round step (1, 2 or 5 × 10ⁿ) and how many steps reach above `highest`: at most four lines.
    static func scale(_ highest: Double) -> (step: Double, count: Int) {
        guard highest > 0 else { return (1, 1) }
        let magnitude = pow(10, (log10(highest / 4)).rounded(.down))
        for factor in [1.0, 2, 5, 10] {
            let step = factor * magnitude
            let count = Int((highest / step).rounded(.up))
            if count <= 4 { return (step, max(count, 1)) }
        }
        return (10 * magnitude, Int((highest / (10 * magnitude)).rounded(.up)))
    }

    static func number(_ value: Double) -> String { String(Int(value.rounded())) }
}
