import Foundation

/// The front page: the verdict on yesterday and today, the period's totals, its days (or hours)
/// on two charts, the worst of them ranked, and the platform-wide incidents.
enum OverviewPage {
    static func render(_ report: OverviewReport, context: PageContext) -> HTML {
        context.page("Overview", section: .overview, api: context.url("/api/overview"), """
            <section class="verdicts">\(verdict(report.yesterday, context))\(verdict(report.today, context))</section>
            \(totals(report, context))
            \(charts(report, context))
            \(ranked(report.worst, title: report.stats.bucket == .hour ? "Worst hours" : "Worst \(report.stats.bucket.rawValue)s",
                     kind: report.stats.bucket, context))
            \(report.worstHours.isEmpty ? "" : ranked(report.worstHours, title: "Worst hours", kind: .hour, context))
            \(platformWide(report, context))
            \(everyBucket(report, context))
            """)
    }

    static func rate(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "—" }
    static func times(_ value: Double?) -> String { value.map { String(format: "%.1f×", $0) } ?? "—" }
    static func hours(_ value: Double) -> String { value >= 100 ? String(Int(value.rounded())) : String(format: "%.1f", value) }

    /// "Yesterday: a bad day — 2.4× the usual rate, mostly platform-wide (…)".
    static func verdict(_ verdict: OverviewReport.Verdict?, _ context: PageContext) -> HTML {
        guard let verdict else { return "" }
        let day = verdict.day, clock = context.clock
        let judged: HTML = day.isBad ? "<strong class=\"bad\">a bad day</strong>" : day.disconnections == 0 ? "<strong class=\"good\">no disconnections</strong>"
            : (day.vsMedian ?? 1) <= 1.2 ? "<strong class=\"good\">a normal day</strong>" : "<strong>a little above the usual</strong>"
        var why: [HTML] = []
        switch day.cause {
        case .platformWide?:
            let moments = verdict.platformWide.prefix(3).map { "\(clock.tick($0.startedAt, daily: false)) (\($0.meetings) meetings)" }
            why.append("Mostly <strong>platform-wide</strong>: many meetings dropped people at the same moment — \(moments.joined(separator: ", ")). Zoom or the network, not the people: evidence for Zoom support.")
        case .collective?:
            let meetings = HTML(joining: verdict.meetings.enumerated().map { index, meeting in
                (index == 0 ? "" : ", ") + context.meetingLabel(meeting.meetingID, topic: meeting.topic) + " (\(meeting.disconnections))"
            }) + " "
            why.append("Mostly <strong>collective</strong>: whole groups dropped together in \(meetings)— a room's or a site's network.")
        case .individual?:
            let people = context.audience.namesWithheld ? "" as HTML : HTML(joining: verdict.people.enumerated().map { index, person in
                (index == 0 ? "" : ", ") + context.personLabel(person.name, key: person.person) + " (\(person.disconnections))"
            }) + " "
            why.append("Mostly <strong>individual</strong> connections\(verdict.people.isEmpty ? "" : ": most drops were ")\(people)— people who may need help with their connection.")
        case nil:
            break
        }
        if day.cause != .platformWide, !verdict.platformWide.isEmpty {
            let moments = verdict.platformWide.prefix(3).map { "\(clock.tick($0.startedAt, daily: false)) (\($0.meetings) meetings, \($0.people) people)" }
            why.append(" Also <strong>platform-wide</strong>: several meetings dropped people at the same moment — \(moments.joined(separator: ", ")): evidence for Zoom support.")
        }
        let compared = day.vsMedian.map { "\(times($0)) the usual rate" } ?? "too little attendance to compare"
        return """
            <article class="verdict\(day.isBad ? " bad" : "")"><h2>\(verdict.label) <span class="count">\(clock.day(day.start))</span></h2>
            <p>\(judged): \(compared) (\(rate(day.rate)) disconnections per participant-hour; usual \(rate(verdict.usualRate))).</p>
            <p class="numbers">\(day.meetings) meetings · \(day.participants) participants · \(hours(day.participantHours)) participant-hours · \
            \(day.drops) drops · \(day.reconnects) reconnects · \(day.incidents) collective incidents\
            \(day.platformWideIncidents > 0 ? " · " as HTML + "<span class=\"badge platform-wide\">\(day.platformWideIncidents) platform-wide</span>" : "")</p>
            \(why.isEmpty ? "" : "<p>" + HTML(joining: why) + "</p>")
            </article>
            """
    }

    static func totals(_ report: OverviewReport, _ context: PageContext) -> HTML {
        let total = report.stats.total
        let cells: [(String, String, String)] = [
            ("Meetings", String(total.meetings), ""), ("Participants", String(total.participants), "different people"),
            ("Participant-hours", hours(total.participantHours), ""),
            ("Drops per participant-hour", rate(total.dropsPerParticipantHour), "\(total.drops) network drops"),
            ("Reconnects per participant-hour", rate(total.reconnectsPerParticipantHour), "\(total.reconnects) reconnects"),
            ("Collective incidents", String(total.incidents), "many dropped at once"),
            ("Platform-wide", String(total.platformWideIncidents), "incidents in several meetings at once"),
        ]
        return "<section class=\"kpis\">" + HTML(joining: cells.map { label, value, note -> HTML in
            "<div class=\"kpi\"><span class=\"kpi-value\">\(value)</span><span class=\"kpi-label\">\(label)</span><span class=\"kpi-note\">\(note)</span></div>"
        }) + "</section>"
    }

    static func charts(_ report: OverviewReport, _ context: PageContext) -> HTML {
        let clock = context.clock, stats = report.stats
        guard let first = stats.buckets.first, let last = stats.buckets.last else { return "<p class=\"empty\">Nothing in this period.</p>" }
        let drill = stats.bucket != .hour
        func link(_ bucket: PeriodStats.Bucket) -> String? {
            guard drill else { return nil }
            let lastDay = bucket.end.addingTimeInterval(-1)
            return context.here([("period", nil), ("limit", nil), ("from", clock.isoDay(bucket.start)), ("to", clock.isoDay(lastDay))])
        }
        let rates = stats.buckets.map { bucket in
            let hours = max(bucket.participantHours, 1e-9)
            let enough = bucket.participantHours >= PeriodStats.least
            return BarChart.Bar(start: bucket.start, end: bucket.end, segments: enough ? [
                .init(value: Double(bucket.drops) / hours, kind: "drop"), .init(value: Double(bucket.reconnects) / hours, kind: "reconnect"),
            ] : [], title: "\(clock.bucket(bucket.start, stats.bucket)): \(rate(bucket.dropsPerParticipantHour)) drops and \(rate(bucket.reconnectsPerParticipantHour)) reconnects per participant-hour (\(times(bucket.vsMedian)) median)\(bucket.platformWideIncidents > 0 ? " — platform-wide incident" : "")",
            marked: bucket.platformWideIncidents > 0, link: link(bucket))
        }
        let load = stats.buckets.map { bucket in
            BarChart.Bar(start: bucket.start, end: bucket.end, segments: [.init(value: bucket.participantHours, kind: "hours")],
                         title: "\(clock.bucket(bucket.start, stats.bucket)): \(hours(bucket.participantHours)) participant-hours, \(bucket.meetings) meetings, \(bucket.participants) participants",
                         marked: false, link: link(bucket))
        }
        let per = stats.bucket.rawValue
        return """
            <section class="charts">
            <figure class="chart" id="chart-rate"><figcaption>Disconnections per participant-hour, per \(per) \
            <span class="key drop"></span> network drops <span class="key reconnect"></span> reconnects \
            <span class="key platform-wide"></span> platform-wide incident — dashed: the period's median</figcaption>
            \(BarChart.render("Disconnections per participant-hour, per \(per)", bars: rates, from: first.start, to: last.end, clock: clock,
                              reference: stats.medianRate.map { ($0, "median " + rate($0)) }, format: { rate($0) }))
            </figure>
            <figure class="chart" id="chart-load"><figcaption>Participant-hours per \(per)</figcaption>
            \(BarChart.render("Participant-hours per \(per)", bars: load, from: first.start, to: last.end, clock: clock,
                              format: { hours($0) }))
            </figure>
            </section>
            """
    }

    static func cause(_ bucket: PeriodStats.Bucket) -> HTML {
        switch bucket.cause {
        case .platformWide?: "<span class=\"badge platform-wide\">platform-wide</span>"
        case .collective?: "<span class=\"badge incident\">collective</span>"
        case .individual?: "individual"
        case nil: "—"
        }
    }

    static func ranked(_ buckets: [PeriodStats.Bucket], title: String, kind: Period.Bucket, _ context: PageContext) -> HTML {
        table(["", kind == .hour ? "Hour" : "Day", "Disconnections / participant-hour", "vs median", "Drops", "Reconnects",
               "Incidents", "Likely cause"], buckets.enumerated().map { rank, bucket in
            """
            <tr class="\(bucket.isBad ? "bad" : "")"><td class="num">\(rank + 1)</td><td>\(context.clock.bucket(bucket.start, kind))</td>\
            <td class="num">\(rate(bucket.rate))</td><td class="num">\(times(bucket.vsMedian))</td><td class="num">\(bucket.drops)</td>\
            <td class="num">\(bucket.reconnects)</td><td class="num">\(bucket.incidents)</td><td>\(cause(bucket))</td></tr>
            """
        }, empty: "No disconnections in this period.", title: title, kind: "ranked")
    }

    static func platformWide(_ report: OverviewReport, _ context: PageContext) -> HTML {
        table(["Started", "Meetings hit", "People dropped", ""], report.platformWide.map { event in
            let window = PageContext.url(context.link("/stability"), [("from", DisplayClock.iso(event.startedAt.addingTimeInterval(-300))),
                                                                      ("to", DisplayClock.iso(event.endedAt.addingTimeInterval(300)))])
            return """
                <tr class="platform-wide"><td>\(context.clock.time(event.startedAt))</td><td class="num">\(event.meetings)</td>\
                <td class="num">\(event.people)</td><td><a href="\(window)">see on the timeline</a></td></tr>
                """
        }, empty: "No platform-wide incidents in this period.", title: "Platform-wide incidents: several meetings at once (evidence for Zoom support)",
              kind: "platform")
    }

    static func everyBucket(_ report: OverviewReport, _ context: PageContext) -> HTML {
        let kind = report.stats.bucket
        let rows = report.stats.buckets.reversed().map { bucket -> HTML in
            """
            <tr class="\(bucket.isBad ? "bad" : "")"><td>\(context.clock.bucket(bucket.start, kind))</td><td class="num">\(bucket.meetings)</td>\
            <td class="num">\(bucket.participants)</td><td class="num">\(hours(bucket.participantHours))</td>\
            <td class="num">\(rate(bucket.dropsPerParticipantHour))</td><td class="num">\(rate(bucket.reconnectsPerParticipantHour))</td>\
            <td class="num">\(bucket.incidents)</td><td class="num">\(bucket.platformWideIncidents)</td><td class="num">\(times(bucket.vsMedian))</td></tr>
            """
        }
        return "<details class=\"every\"><summary>Every \(kind.rawValue)</summary>" + table(
            [kind == .hour ? "Hour" : "Day", "Meetings", "Participants", "Participant-hours", "Drops / p-h", "Reconnects / p-h",
             "Incidents", "Platform-wide", "vs median"], Array(rows), empty: "Nothing in this period.", kind: "buckets") + "</details>"
    }
}
