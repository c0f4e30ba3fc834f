/// The stability view: who keeps dropping, the incidents on a timeline, quality alerts.
enum StabilityPage {
    static func render(_ report: StabilityReport, context: PageContext) -> HTML {
        context.page("Connection stability", section: .stability, api: context.link("/api/stability"), content(report, context))
    }

    static func content(_ report: StabilityReport, _ context: PageContext) -> HTML {
        let clock = context.clock
        let most = report.participants.first?.disconnections ?? 1
        let people = table(["Name", "Drops", "Back quickly", "Longest away", "Last drop", "Meetings"], report.participants.map { person in
            let meetings = HTML(joining: person.meetings.map { context.meetingLabel($0, topic: report.topics[$0]) + " " })
            return """
                <tr><td class="name">\(person.name)</td>\
                <td class="num">\(bar(person.disconnections, of: most)) \(person.disconnections)</td>\
                <td class="num">\(person.bounced)</td>\
                <td>\(person.longestAwaySeconds.map(DisplayClock.duration) ?? "not back")</td>\
                <td>\(clock.time(person.lastDisconnection))</td><td>\(meetings)</td></tr>
                """
        }, empty: "No network disconnections.", title: "Who keeps dropping: they may need help with their connection")
        let incidents = table(["Started", "Meeting", "Dropped", "Who", ""], report.incidents.map { incident in
            """
            <tr class="\(incident.platformWide ? "platform-wide" : "")" data-incident="\(incident.id)">\
            <td>\(clock.time(incident.startedAt))</td><td>\(context.meetingLabel(incident.meetingID, topic: incident.topic))</td>\
            <td class="num">\(incident.participantCount)</td><td>\(incident.participants.joined(separator: ", "))</td>\
            <td>\(incident.platformWide ? "<span class=\"badge platform-wide\">platform-wide</span>" as HTML : "")</td></tr>
            """
        }, empty: "No collective incidents.", title: "Collective incidents: many dropped at once")
        let alerts = table(["Time", "Meeting", "Issues"], report.alerts.map { alert in
            "<tr><td>\(clock.time(alert.at))</td><td>\(context.meetingLabel(alert.meetingID, topic: alert.topic))</td><td>\(alert.issues.joined(separator: ", "))</td></tr>"
        }, empty: "No quality alerts.", title: "Zoom quality alerts")
        return """
            <section><h3>Timeline</h3>\(TimelineChart.render(report, clock: clock))</section>
            <section>\(people)</section>
            <section>\(incidents)</section>
            <section>\(alerts)</section>
            """
    }

    /// A small inline bar, so the worst connections stand out on a phone too.
    static func bar(_ value: Int, of most: Int) -> HTML {
        "<svg class=\"bar\" viewBox=\"0 0 60 10\" aria-hidden=\"true\"><rect width=\"\(max(2, 60 * value / max(most, 1)))\" height=\"10\" rx=\"2\"/></svg>"
    }
}
