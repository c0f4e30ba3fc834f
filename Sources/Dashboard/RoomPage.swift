/// The room view: the meetings live now (ended ones behind a filter), searchable, a few rooms at a
/// time with "show more"; per room, who is in it now and for how long, who dropped and is not
/// back, and the latest joins and leaves.
enum RoomPage {
    static func render(_ report: RoomReport, context: PageContext, query: DashboardQuery, limit: Int) -> HTML {
        let live: HTML
        if report.rooms.isEmpty {
            live = query.status == .ended ? "" : query.search != nil
                ? "<p class=\"empty\">No live meeting matches “\(query.search!)”.</p>" : "<p class=\"empty\">No meeting is live right now.</p>"
        } else {
            live = HTML(joining: report.rooms.map { room($0, context) }) + context.more(shown: report.rooms.count, total: report.matched, limit: limit)
        }
        let ended: HTML = query.status == .live ? "" : """
            <section><h2>Ended in this period <span class="count">\(report.endedCount)</span></h2>
            \(MeetingsPage.instances(report.ended, context))\(context.more(shown: report.ended.count, total: report.endedCount, limit: limit * 4))
            </section>
            """
        let summary: HTML = """
            <p class="summary"><strong>\(report.liveCount)</strong> \(report.liveCount == 1 ? "meeting" : "meetings") live now, \
            <strong>\(report.peopleInRooms)</strong> \(report.peopleInRooms == 1 ? "person" : "people") in them.\
            \(query.search == nil || query.status == .ended ? "" : " \(report.matched) match the search." as HTML)</p>
            """
        return context.page("In the room now", section: .room, api: context.here([]).replacingPrefix(context.link("/room"), with: context.link("/api/room")),
                            picker: query.status != .live, "\(filters(query, context))\(summary)\(live)\(ended)")
    }

    /// Live / ended / all, and a search box (a plain GET form).
    static func filters(_ query: DashboardQuery, _ context: PageContext) -> HTML {
        let choices: [(DashboardQuery.Status, String)] = [(.live, "Live now"), (.ended, "Ended"), (.all, "All")]
        let links = HTML(joining: choices.map { status, label -> HTML in
            let href = context.here([("status", status == .live ? nil : status.rawValue), ("limit", nil)])
            return status == query.status ? "<a href=\"\(href)\" aria-current=\"true\">\(label)</a>" : "<a href=\"\(href)\">\(label)</a>"
        })
        let kept = HTML(joining: context.parameters.filter { ["status", "period", "from", "to"].contains($0.0) }.map { name, value -> HTML in
            "<input type=\"hidden\" name=\"\(name)\" value=\"\(value)\">"
        })
        let who = context.audience.namesWithheld ? "topic or meeting id" : context.audience.privacy.pseudonymize && !context.isFull
            ? "topic, meeting id or pseudonym" : "topic, meeting id or name"
        return """
            <div class="filters"><span class="period-choices">\(links)</span>
            <form class="search" method="get" action="\(context.link("/room"))" role="search">\(kept)<label>Search \
            <input type="search" name="q" value="\(query.search ?? "")" placeholder="\(who)" maxlength="100"></label> \
            <button type="submit">Find</button></form></div>
            """
    }

    /// - Parameter shown: most people listed (the meeting's page lists everyone).
    static func room(_ room: RoomReport.Room, _ context: PageContext, shown: Int = 15) -> HTML {
        let clock = context.clock
        var people: HTML
        if context.audience.namesWithheld {
            people = room.inRoomCount == 0 ? "<p class=\"empty\">Nobody is in this room right now.</p>" : ""
        } else {
            people = table(["Name", "Room", "In the room since", "Time in room", "Stays", "Drops"], room.inRoom.prefix(shown).map { person in
                let current = Int(clock.now.timeIntervalSince(person.inRoomSince))
                return """
                    <tr><td class="name">\(context.personLabel(person.name, key: person.person))</td><td>\(roomLabel(person.breakoutRoom))</td>\
                    <td>\(clock.time(person.inRoomSince)) <span class="stay">(\(clock.counter(since: person.inRoomSince)))</span></td>\
                    <td>\(clock.counter(since: person.inRoomSince, base: person.secondsInRoom - current))</td>\
                    <td class="num">\(person.sessions)</td><td class="num">\(person.disconnections)</td></tr>
                    """
            }, empty: "Nobody is in this room right now.", title: "In the room", kind: "in-room")
            if room.inRoom.count > shown {
                people = people + "<p class=\"more\">and \(room.inRoom.count - shown) more: <a href=\"\(context.meetingLink(room.meetingID, instance: room.instance))\">everyone on the meeting's page</a></p>"
            }
        }
        let away = away(room, context)
        let recent = table(["Time", "Name", "What"], room.recent.map { move in
            "<tr class=\"\(move.kind.rawValue)\"><td>\(clock.time(move.at))</td><td class=\"name\">\(move.name)</td><td>\(label(move.kind))</td></tr>"
        }, empty: context.audience.namesWithheld ? "" : "No joins or leaves yet.", title: "Recent joins and leaves", kind: "recent")
        let started: HTML = room.startedAt.map { " <span class=\"meta\">started \(clock.time($0))</span>" } ?? ""
        return """
            <section class="room" id="room-\(room.meetingID)">
            <h2>\(context.meetingLabel(room.meetingID, topic: room.topic, instance: room.instance)) <span class="count">\(room.inRoomCount) in the room</span>\(started)</h2>
            \(people)\(away)\(recent)
            </section>
            """
    }

    /// Who dropped and is not back (yet), while the class goes on.
    static func away(_ room: RoomReport.Room, _ context: PageContext) -> HTML {
        table(["Name", "Dropped at", "Away for"], room.away.map { away in
            "<tr class=\"away\"><td class=\"name\">\(away.name)</td><td>\(context.clock.time(away.droppedAt))</td><td>\(context.clock.counter(since: away.droppedAt))</td></tr>"
        }, empty: "", title: "Dropped by the network, not back yet", kind: "away")
    }

    /// "Main room", or the breakout room by the start of its id (Zoom's webhooks carry no room name).
    static func roomLabel(_ breakoutRoom: String?) -> HTML {
        guard let breakoutRoom else { return "Main room" }
        return "<span class=\"badge breakout\" title=\"\(breakoutRoom)\">Breakout \(String(breakoutRoom.prefix(6)))</span>"
    }

    static func label(_ kind: RoomReport.Movement.Kind) -> HTML {
        switch kind {
        case .joined: "joined"
        case .left: "left"
        case .dropped: "<span class=\"badge drop\">dropped (network)</span>"
        }
    }
}

extension String {
    func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}
