import Foundation

/// The meetings of a period, and one meeting's page (its occurrences, one in detail).
enum MeetingsPage {
    static func render(_ report: MeetingsReport, context: PageContext, query: DashboardQuery, limit: Int) -> HTML {
        let search = """
            <form class="search" method="get" action="\(context.link("/meetings"))" role="search">\
            \(HTML(joining: context.parameters.filter { ["period", "from", "to"].contains($0.0) }.map { "<input type=\"hidden\" name=\"\($0.0)\" value=\"\($0.1)\">" as HTML }))\
            <label>Search <input type="search" name="q" value="\(query.search ?? "")" placeholder="topic or meeting id" maxlength="100"></label> \
            <button type="submit">Find</button></form>
            """ as HTML
        return context.page("Meetings", section: .meetings, api: context.here([]).replacingPrefix(context.link("/meetings"), with: context.link("/api/meetings")),
                            "\(search)<p class=\"summary\">\(report.count) meetings in this period.</p>\(instances(report.meetings, context))\(context.more(shown: report.meetings.count, total: report.count, limit: limit))")
    }

    static func render(_ report: MeetingReport, context: PageContext, limit: Int) -> HTML {
        let title = report.topic ?? "Meeting \(report.meetingID)"
        // Who is in now is the participants table; who dropped and is not back, only the room knows.
        let room = report.room.map { RoomPage.away($0, context) } ?? ""
        let detail = report.selected.map { instance($0, context, limit: limit) } ?? "<p class=\"empty\">No occurrence of this meeting is known yet.</p>"
        return context.page(title, section: nil, api: context.here([]).replacingPrefix(context.link("/meetings"), with: context.link("/api/meetings")), """
            <p class="meta">Zoom meeting <code>\(report.meetingID)</code> · \(report.instanceCount) occurrences in this period</p>
            \(detail)
            \(room)
            <section><h2>Occurrences in this period</h2>\(instances(report.instances, context, selected: report.selected?.meeting.instance))</section>
            """)
    }

    static func instance(_ instance: MeetingReport.Instance, _ context: PageContext, limit: Int) -> HTML {
        let clock = context.clock, meeting = instance.meeting
        let when = meeting.startedAt.map { clock.day($0) + ", " + clock.tick($0, daily: false) } ?? "Start not received"
        let until = meeting.endedAt.map { "–" + clock.tick($0, daily: false) } ?? (meeting.live ? " (live)" : "")
        let facts: [String] = [meeting.durationSeconds.map { DisplayClock.duration($0) }, meeting.peakParticipants.map { "peak \($0)" },
                               count(instance.participantCount, "participant"), count(meeting.disconnections, "disconnection"),
                               count(meeting.incidents, "collective incident")].compactMap { $0 }
        let people: HTML = context.audience.namesWithheld
            ? "<p class=\"empty\">\(instance.participantCount) participants. Names are withheld on the public view.</p>"
            : table(["Name", "First join", "Last leave", "Time in room", "Stays", "Moves", "Reconnects", "Drops"], instance.participants.map { person in
                """
                <tr><td class="name">\(context.personLabel(person.name, key: person.person))</td><td>\(person.firstJoin.map(clock.time) ?? "—")</td>\
                <td>\(person.lastLeave.map(clock.time) ?? "—")</td><td class="num">\(DisplayClock.duration(person.secondsInRoom))</td>\
                <td class="num">\(person.stays)</td><td class="num">\(person.moves)</td><td class="num">\(person.reconnects)</td>\
                <td class="num">\(person.drops)</td></tr>
                """
            }, empty: "Nobody came.", title: "Participants", kind: "participants")
                + context.more(shown: instance.participants.count, total: instance.participantCount, limit: limit)
        let events = table(["Time", "Who", "What"], instance.events.map { event in
            "<tr class=\"\(event.kind.rawValue)\"><td>\(clock.time(event.at))</td><td class=\"name\">\(event.name ?? "—")</td><td>\(label(event.kind))</td></tr>"
        }, empty: "No joins or leaves.", title: "Timeline: joins, leaves, moves, drops" + (instance.source == "timeline" ? "" : " (from the stays; moves not known)"),
            kind: "events") + context.more(shown: instance.events.count, total: instance.eventCount, limit: limit)
        return """
            <section class="instance" id="instance"><h2>\(when)\(until) <span class="count">\(facts.joined(separator: " · "))</span></h2>
            \(OccupancyChart.render(instance, clock: clock))
            \(dataQuality(instance))
            \(people)
            \(StabilityPage.content(instance.stability, context, limit: limit, compact: true))
            \(events)
            </section>
            """
    }

    /// `1 participant`, `7 participants`.
    static func count(_ value: Int, _ noun: String) -> String { "\(value) \(noun)\(value == 1 ? "" : "s")" }

    /// The instance's collection-quality record (docs/reconciliation.md): what the webhooks brought
    /// and what reconciliation filled in from Zoom's record. Nothing until reconciliation ran.
    static func dataQuality(_ instance: MeetingReport.Instance) -> HTML {
        guard let quality = instance.meeting.dataQuality else { return "" }
        let record = quality.source == "report" ? "Zoom's meeting report" : "Zoom's dashboard record"
        let verdict: HTML = quality.factsFilled == 0
            ? "Complete: the webhooks brought every join and leave \(record) lists."
            : "Repaired: \(String(quality.factsFilled)) joins and leaves of \(String(quality.sessionsFilled)) sessions were lost by the webhooks and filled in from \(record)."
        let conflicts: HTML = quality.conflicts == 0 ? ""
            : " \(String(quality.conflicts)) times differed from the webhooks' (the webhooks' kept)."
        return """
            <p class="data-quality">\(verdict)\(conflicts) <span class="count">\(String(quality.sessionsSeen)) sessions seen by webhook</span></p>
            """
    }

    static func label(_ kind: MeetingReport.Event.Kind) -> HTML {
        switch kind {
        case .joined: "joined"
        case .left: "left"
        case .moved: "<span class=\"badge breakout\">moved (breakout room)</span>"
        case .dropped: "<span class=\"badge drop\">dropped (network)</span>"
        case .reconnected: "<span class=\"badge reconnect\">reconnected</span>"
        case .appClosed: "closed the app"
        case .hostEnded: "host ended the meeting"
        }
    }

    static func instances(_ meetings: [MeetingsReport.Meeting], _ context: PageContext, selected: String? = nil) -> HTML {
        let clock = context.clock
        return table(["Meeting", "Started", "Ended", "Duration", "Peak", "In room now", "Drops", "Incidents"], meetings.map { meeting in
            let label = meeting.meetingID.map { context.meetingLabel($0, topic: meeting.topic, instance: meeting.instance) } ?? "—"
            let duration: HTML = meeting.durationSeconds.map { "\(DisplayClock.duration($0))" }
                ?? (meeting.live ? meeting.startedAt.map { "<span class=\"badge live\">live</span> " + clock.counter(since: $0) } : nil) ?? "—"
            let classes = [meeting.live ? "is-live" : nil, meeting.instance == selected ? "selected" : nil].compactMap { $0 }
            return """
                <tr class="\(classes.joined(separator: " "))"><td>\(label)</td><td>\(meeting.startedAt.map(clock.time) ?? "—")</td>\
                <td>\(meeting.endedAt.map(clock.time) ?? "—")</td><td class="duration">\(duration)</td>\
                <td class="num">\(meeting.peakParticipants.map(String.init) ?? "—")</td>\
                <td class="num">\(meeting.inRoomNow.map(String.init) ?? "—")</td>\
                <td class="num">\(meeting.disconnections)</td><td class="num">\(meeting.incidents)</td></tr>
                """
        }, empty: "No meetings in this period.", kind: "meetings")
    }
}
