/// The stability view: who keeps dropping, the incidents on a timeline, quality alerts.
enum StabilityPage {
    static func render(_ report: StabilityReport, context: PageContext, limit: Int) -> HTML {
        context.page("Connection stability", section: .stability, api: context.url("/api/stability", meeting(context)),
                     content(report, context, limit: limit))
    }

    private static func meeting(_ context: PageContext) -> [(String, String)] { context.parameters.filter { $0.0 == "meeting" } }

    /// - Parameter compact: one meeting instance's page: the timeline and incidents only, when there are any.
    static func content(_ report: StabilityReport, _ context: PageContext, limit: Int, compact: Bool = false) -> HTML {
        let clock = context.clock
        let most = report.participants.first?.disconnections ?? 1
        let people: HTML
        if context.audience.namesWithheld {
            people = "<h3>Who keeps dropping</h3><p class=\"empty\">\(report.dropCount) disconnections in this period. Names are withheld on the public view; the full view (or pseudonyms) shows who.</p>"
        } else {
            people = table(["Name", "Drops", "Back quickly", "Longest away", "Last drop", "Meetings"], report.participants.map { person in
                let meetings = HTML(joining: person.meetings.prefix(5).map { context.meetingLabel($0, topic: report.topics[$0]) + " " })
                    + (person.meetings.count > 5 ? "<span class=\"meta\">+\(person.meetings.count - 5)</span>" : "")
                return """
                    <tr><td class="name">\(context.personLabel(person.name, key: person.person))</td>\
                    <td class="num">\(bar(person.disconnections, of: most)) \(person.disconnections)</td>\
                    <td class="num">\(person.bounced)</td>\
                    <td>\(person.longestAwaySeconds.map(DisplayClock.duration) ?? "not back")</td>\
                    <td>\(clock.time(person.lastDisconnection))</td><td>\(meetings)</td></tr>
                    """
            }, empty: "No network disconnections.", title: "Who keeps dropping: they may need help with their connection", kind: "people")
                + context.more(shown: report.participants.count, total: report.participantCount, limit: limit)
        }
        let incidents = table(["Started", "Meeting", "Dropped", "Who", ""], report.incidents.map { incident in
            """
            <tr class="\(incident.platformWide ? "platform-wide" : "")" data-incident="\(incident.id)">\
            <td>\(clock.time(incident.startedAt))</td><td>\(context.meetingLabel(incident.meetingID, topic: incident.topic))</td>\
            <td class="num">\(incident.participantCount)</td><td>\(incident.participants.joined(separator: ", "))</td>\
            <td>\(incident.platformWide ? "<span class=\"badge platform-wide\">platform-wide</span>" as HTML : "")</td></tr>
            """
        }, empty: "No collective incidents.", title: "Collective incidents: many dropped at once", kind: "incidents")
            + context.more(shown: report.incidents.count, total: report.incidentCount, limit: limit)
        let alerts = table(["Time", "Meeting", "Issues"], report.alerts.map { alert in
            "<tr><td>\(clock.time(alert.at))</td><td>\(context.meetingLabel(alert.meetingID, topic: alert.topic))</td><td>\(alert.issues.joined(separator: ", "))</td></tr>"
        }, empty: "No quality alerts.", title: "Zoom quality alerts")
        if compact {
            guard report.dropCount > 0 || report.incidentCount > 0 else { return "" }
            return "<section><h3>Drops and incidents</h3>\(TimelineChart.render(report, clock: clock))</section>"
                + (report.incidents.isEmpty ? "" : "<section>\(incidents)</section>")
        }
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
