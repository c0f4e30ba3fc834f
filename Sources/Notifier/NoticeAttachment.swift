import Foundation
import ZoomModel

extension MessageAttachment {
    /// The attachment for one notice.
    public static func notice(_ notice: Notice, style: NoticeStyle) -> MessageAttachment {
        let event = notice.event
        let meeting = event.meeting
        let person = event.participant.map { MattermostText.plain($0.displayName, limit: 64) }
        let title = style.title(meeting)
        var fields = style.meetingField(meeting)
        if let time = notice.time {
            fields.append(.init(title: notice.timeTitle, value: style.localTime.dateTime(time), short: true))
        }
        let headline: String
        let summary: String
        switch notice.kind {
        case .joined, .left, .disconnected, .moved, .reconnected, .waiting, .admitted, .sharingStarted, .sharingEnded:
            let name = MattermostText.markdownLiteral(event.participant?.displayName ?? "Someone", limit: 64)
            headline = "**\(name)** \(notice.verb(plural: false))"
            summary = "\(person ?? "Someone") \(notice.verb(plural: false)) · \(title)"
            if let timeInRoom = notice.timeInRoom {
                fields.append(.init(title: "Time in room", value: LocalTime.duration(timeInRoom), short: true))
            }
            if let away = notice.away {
                fields.append(.init(title: "Away", value: LocalTime.duration(away), short: true))
            }
            if let content = event.participant?.sharingContent, !content.isEmpty {
                fields.append(.init(title: "Content", value: MattermostText.markdownLiteral(content), short: true))
            }
            // A move's reason is in its verb.
            if notice.kind != .moved, let reason = notice.leaveReason {
                fields.append(.init(title: "Leave reason", value: MattermostText.markdownLiteral(reason.text, limit: 300), short: false))
            }
        case .meetingStarted, .meetingEnded:
            headline = "**Meeting \(notice.kind.verb(plural: false))**"
            summary = "Meeting \(notice.kind.verb(plural: false)) · \(title)"
            if notice.kind == .meetingEnded, let start = meeting.startTime, let end = meeting.endTime {
                fields.append(.init(title: "Duration", value: LocalTime.duration(end.timeIntervalSince(start)), short: true))
            } else if notice.kind == .meetingStarted, let minutes = meeting.duration, minutes > 0 {
                fields.append(.init(title: "Scheduled for", value: LocalTime.duration(Double(minutes) * 60), short: true))
            }
        case .alert:
            let issues = event.issues.map { MattermostText.plain($0, limit: 200) }
            headline = "**Meeting alert**"
            summary = "Meeting alert · \(title)" + (issues.isEmpty ? "" : ": " + issues.joined(separator: "; "))
            if !event.issues.isEmpty {
                fields.append(.init(title: "Issues", value: event.issues.map { MattermostText.markdownLiteral($0, limit: 200) }
                    .joined(separator: "\n"), short: false))
            }
        case .incident:
            return incident(notice, style: style, title: title)
        case .repaired:
            let repair = event.repair ?? ZoomEvent.Repair(sessionsFilled: 0, factsFilled: 0, conflicts: 0, source: "")
            let record = repair.source == "report" ? "Zoom's meeting report" : "Zoom's dashboard record"
            headline = "**\(repair.factsFilled) joins and leaves filled in from \(record)**"
            summary = "\(repair.factsFilled) joins and leaves filled in from \(record) · \(title)"
            fields.append(.init(title: "Sessions repaired", value: String(repair.sessionsFilled), short: true))
            if repair.conflicts > 0 {
                fields.append(.init(title: "Times differing (webhook kept)", value: String(repair.conflicts), short: true))
            }
        case .other:
            headline = "Zoom event `\(String(event.name.filter { $0 != "`" }.prefix(100)))`"
            summary = "\(MattermostText.plain(event.name)) · \(title)"
        }
        return MessageAttachment(fallback: summary, color: notice.kind.color, text: headline, authorName: person,
                                 title: title, titleLink: style.titleLink(meeting), fields: fields,
                                 footer: style.footer([notice.source]))
    }

    /// Several participants disconnected at once, as the projection worker reported it.
    private static func incident(_ notice: Notice, style: NoticeStyle, title: String) -> MessageAttachment {
        let incident = notice.event.incident ?? ZoomEvent.Incident(participants: [])
        var fields = style.meetingField(notice.event.meeting)
        if let start = incident.startedAt, let end = incident.endedAt {
            fields.append(.init(title: "Between", value: style.localTime.range(start, end), short: true))
        } else if let time = notice.time {
            fields.append(.init(title: notice.timeTitle, value: style.localTime.dateTime(time), short: true))
        }
        fields.append(.init(title: "Participants", value: String(incident.size), short: true))
        if let reason = incident.reason, !reason.isEmpty {
            fields.append(.init(title: "Reason", value: MattermostText.markdownLiteral(reason, limit: 300), short: false))
        }
        let names = NameList(incident.participants.map(\.displayName), total: incident.size, limit: style.maxNames)
        if !names.shown.isEmpty {
            fields.append(.init(title: "Who", value: names.markdown, short: false))
        }
        let headline = "**\(incident.size) participants disconnected together**"
        return MessageAttachment(fallback: "\(incident.size) participants disconnected together · \(title)",
                                 color: notice.kind.color, text: headline, title: title,
                                 titleLink: style.titleLink(notice.event.meeting), fields: fields,
                                 footer: "Lookout · incident")
    }

    /// The attachment for several notices of one kind in one meeting, gathered in one window.
    public static func group(_ notices: [Notice], style: NoticeStyle) -> MessageAttachment {
        precondition(!notices.isEmpty, "a group has notices")
        if notices.count == 1 { return notice(notices[0], style: style) }
        let kind = notices[0].kind
        let meeting = notices[0].event.meeting
        var seen = Set<String>()
        let people = notices.filter { seen.insert($0.person).inserted }.compactMap(\.event.participant)
        let names = NameList(people.map(\.displayName), total: people.count, limit: style.maxNames)
        // Moves in one direction say which; mixed ones do not.
        let verb = kind == .moved && Set(notices.map(\.move)).count == 1 ? notices[0].verb(plural: true)
            : kind.verb(plural: people.count != 1)
        let title = style.title(meeting)
        var fields = style.meetingField(meeting)
        let times = notices.compactMap(\.time)
        if let first = times.min(), let last = times.max() {
            fields.append(.init(title: first == last ? notices[0].timeTitle : "Between", value: style.localTime.range(first, last), short: true))
        }
        fields.append(.init(title: "Participants", value: String(people.count), short: true))
        if [.disconnected, .left, .reconnected].contains(kind) {
            let reasons = Dictionary(grouping: notices.compactMap(\.leaveReason?.text), by: { $0 })
                .map { (reason: $0.key, count: $0.value.count) }
                .sorted { ($0.count, $1.reason) > ($1.count, $0.reason) }
            if !reasons.isEmpty {
                let lines = reasons.prefix(3).map { "\(MattermostText.markdownLiteral($0.reason, limit: 120)) ×\($0.count)" }
                fields.append(.init(title: "Leave reasons", value: lines.joined(separator: "\n"), short: false))
            }
        }
        return MessageAttachment(
            fallback: "\(people.count) \(verb) · \(title): \(names.plain)",
            color: kind.color,
            text: "**\(people.count) \(verb)**: \(names.markdown)",
            title: title, titleLink: style.titleLink(meeting), fields: fields,
            footer: style.footer(notices.map(\.source)))
    }
}

/// "Ada, Grace, … and 4 more", capped both in names and in length.
struct NameList {
    let shown: [String]
    let hidden: Int

    init(_ names: [String], total: Int, limit: Int) {
        var shown: [String] = []
        var length = 0
        for name in names.prefix(limit) {
            length += name.count + 2
            if length > 3000 { break }
            shown.append(name)
        }
        self.shown = shown
        hidden = max(0, total - shown.count)
    }

    var markdown: String { render(shown.map { MattermostText.markdownLiteral($0, limit: 64) }) }
    var plain: String { render(shown.map { MattermostText.plain($0, limit: 64) }) }

    private func render(_ names: [String]) -> String {
        let list = names.joined(separator: ", ")
        guard hidden > 0 else { return list }
        return list.isEmpty ? "\(hidden) people" : "\(list) and \(hidden) more"
    }
}
