/// One person: their period per day, their meetings, their stays; a CSV of the stays.
enum PersonPage {
    static func render(_ report: PersonReport, context: PageContext, limit: Int) -> HTML {
        let clock = context.clock, stats = report.stats
        let total = stats.total
        let chart: HTML
        if let first = stats.buckets.first, let last = stats.buckets.last {
            let bars = stats.buckets.map { bucket in
                BarChart.Bar(start: bucket.start, end: bucket.end, segments: [.init(value: Double(bucket.drops), kind: "drop"),
                                                                            .init(value: Double(bucket.reconnects), kind: "reconnect")],
                             title: "\(clock.bucket(bucket.start, stats.bucket)): \(bucket.drops) drops, \(bucket.reconnects) reconnects, \(OverviewPage.hours(bucket.participantHours)) h in meetings",
                             marked: bucket.platformWide > 0, link: nil)
            }
            chart = """
                <figure class="chart" id="chart-person"><figcaption>Drops and reconnects per \(stats.bucket.rawValue) \
                <span class="key drop"></span> network drops <span class="key reconnect"></span> reconnects \
                <span class="key platform-wide"></span> in a platform-wide incident</figcaption>
                \(BarChart.render("Drops and reconnects per \(stats.bucket.rawValue)", bars: bars, from: first.start, to: last.end, clock: clock,
                                  format: { String(Int($0)) }))</figure>
                """
        } else {
            chart = ""
        }
        let alone = total.individual, together = total.collective + total.platformWide
        let summary: HTML = """
            <p class="summary">\(total.meetings) meetings · \(OverviewPage.hours(total.participantHours)) hours in the room · \
            \(total.drops) network drops · \(total.reconnects) reconnects (\(OverviewPage.rate(total.rate)) per hour in the room) · \
            \(alone) on their own, \(together) in a collective or platform-wide incident.</p>
            <p class="meta">Device and network: \(report.devices).</p>
            """
        let meetings = table(["Meeting", "Stays", "Time in room", "Drops", "Reconnects"], report.meetings.map { meeting in
            """
            <tr><td>\(context.meetingLabel(meeting.meetingID, topic: meeting.topic))</td><td class="num">\(meeting.stays)</td>\
            <td class="num">\(DisplayClock.duration(meeting.secondsInRoom))</td><td class="num">\(meeting.drops)</td>\
            <td class="num">\(meeting.reconnects)</td></tr>
            """
        }, empty: "No meetings in this period.", title: "Meetings", kind: "person-meetings")
        let stays = table(["Joined", "Left", "Meeting", "Time connected", "Moves", "Reconnects", "Drops"], report.stays.map { stay in
            """
            <tr><td>\(clock.time(stay.joinedAt))</td><td>\(stay.leftAt.map(clock.time) ?? "in the room")</td>\
            <td>\(context.meetingLabel(stay.meetingID, topic: stay.topic, instance: stay.instance))</td>\
            <td class="num">\(DisplayClock.duration(stay.secondsConnected))</td><td class="num">\(stay.moves)</td>\
            <td class="num">\(stay.reconnects)</td><td class="num">\(stay.drops)</td></tr>
            """
        }, empty: "", title: "Stays", kind: "stays") + context.more(shown: report.stays.count, total: report.stayCount, limit: limit)
        let csv = context.url("/people/\(report.person)/stays.csv", context.parameters.filter { $0.0 == "limit" })
        return context.page(report.name, section: nil, api: context.personLink(report.person, api: true), """
            \(summary)\(chart)\(meetings)\(stays)
            <p><a href="\(csv)" download>Download these stays as CSV</a></p>
            """)
    }
}
