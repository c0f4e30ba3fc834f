/// The meetings list, and one meeting's page (its room, instances and stability).
enum MeetingsPage {
    static func render(_ report: MeetingsReport, context: PageContext) -> HTML {
        context.page("Meetings", section: .meetings, api: context.link("/api/meetings"), instances(report.meetings, context))
    }

    static func render(_ report: MeetingReport, context: PageContext) -> HTML {
        let title = report.topic ?? "Meeting \(report.meetingID)"
        let room = report.room.map { RoomPage.room($0, context) } ?? "<p class=\"empty\">Nobody has joined this meeting yet.</p>"
        return context.page(title, section: nil, api: context.meetingLink(report.meetingID, api: true), """
            <p class="meta">Zoom meeting <code>\(report.meetingID)</code></p>
            \(room)
            <section><h2>Sessions of this meeting</h2>\(instances(report.instances, context))</section>
            \(StabilityPage.content(report.stability, context))
            """)
    }

    static func instances(_ meetings: [MeetingsReport.Meeting], _ context: PageContext) -> HTML {
        let clock = context.clock
        return table(["Meeting", "Started", "Ended", "Duration", "Peak", "In room now", "Drops", "Incidents"], meetings.map { meeting in
            let label = meeting.meetingID.map { context.meetingLabel($0, topic: meeting.topic) } ?? "—"
            let duration: HTML = meeting.durationSeconds.map { "\(DisplayClock.duration($0))" }
                ?? (meeting.live ? meeting.startedAt.map { "<span class=\"badge live\">live</span> " + clock.counter(since: $0) } : nil) ?? "—"
            return """
                <tr class="\(meeting.live ? "live" : "")"><td>\(label)</td><td>\(meeting.startedAt.map(clock.time) ?? "—")</td>\
                <td>\(meeting.endedAt.map(clock.time) ?? "—")</td><td>\(duration)</td>\
                <td class="num">\(meeting.peakParticipants.map(String.init) ?? "—")</td>\
                <td class="num">\(meeting.inRoomNow.map(String.init) ?? "—")</td>\
                <td class="num">\(meeting.disconnections)</td><td class="num">\(meeting.incidents)</td></tr>
                """
        }, empty: "No meetings yet.")
    }
}
