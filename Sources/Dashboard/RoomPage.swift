/// The room view: per room, who is in it now and for how long, who dropped and is not back, and
/// the latest joins and leaves.
enum RoomPage {
    static func render(_ report: RoomReport, context: PageContext) -> HTML {
        let live = report.rooms.filter { !$0.inRoom.isEmpty }
        let quiet = report.rooms.filter { $0.inRoom.isEmpty }
        let rooms: HTML = live.isEmpty ? "<p class=\"empty\">Nobody is in a room right now.</p>" : HTML(joining: live.map { room($0, context) })
        let others: HTML = quiet.isEmpty ? "" : """
            <section><h2>Empty rooms</h2>
            \(table(["Room", "Last activity"], quiet.map { room in
                "<tr><td>\(context.meetingLabel(room.meetingID, topic: room.topic))</td><td>\(room.lastActivity.map(context.clock.time) ?? "—")</td></tr>"
            }, empty: ""))
            </section>
            """
        return context.page("In the room now", section: .room, api: context.link("/api/room"), "\(rooms)\(others)")
    }

    static func room(_ room: RoomReport.Room, _ context: PageContext) -> HTML {
        let clock = context.clock
        let people = table(["Name", "Room", "In the room since", "Total time in room", "Sessions", "Drops"], room.inRoom.map { person in
            let current = Int(clock.now.timeIntervalSince(person.inRoomSince))
            return """
                <tr><td class="name">\(person.name)</td><td>\(roomLabel(person.breakoutRoom))</td>\
                <td>\(clock.time(person.inRoomSince)) <span class="stay">(\(clock.counter(since: person.inRoomSince)))</span></td>\
                <td>\(clock.counter(since: person.inRoomSince, base: person.secondsInRoom - current))</td>\
                <td class="num">\(person.sessions)</td><td class="num">\(person.disconnections)</td></tr>
                """
        }, empty: "Nobody is in this room right now.", title: "In the room", kind: "in-room")
        let away = table(["Name", "Dropped at", "Away for"], room.away.map { away in
            "<tr class=\"away\"><td class=\"name\">\(away.name)</td><td>\(clock.time(away.droppedAt))</td><td>\(clock.counter(since: away.droppedAt))</td></tr>"
        }, empty: "", title: "Dropped by the network, not back yet", kind: "away")
        let recent = table(["Time", "Name", "What"], room.recent.map { move in
            "<tr class=\"\(move.kind.rawValue)\"><td>\(clock.time(move.at))</td><td class=\"name\">\(move.name)</td><td>\(label(move.kind))</td></tr>"
        }, empty: "No joins or leaves yet.", title: "Recent joins and leaves", kind: "recent")
        return """
            <section class="room" id="room-\(room.meetingID)">
            <h2>\(context.meetingLabel(room.meetingID, topic: room.topic)) <span class="count">\(room.inRoom.count) in the room</span></h2>
            \(people)\(away)\(recent)
            </section>
            """
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
