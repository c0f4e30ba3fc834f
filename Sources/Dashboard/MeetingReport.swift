import Foundation
import Projections
import ZoomModel

/// One meeting (room): its occurrences in the period and one of them in detail — who came and for
/// how long, its timeline of joins, leaves, moves, drops and reconnects, how many were in at each
/// moment (the peak), its incidents; and who is in the room now when it is live.
public struct MeetingReport: Encodable, Sendable, Equatable {
    public struct Participant: Encodable, Sendable, Equatable {
        public let name: String
        public let person: String?
        public let firstJoin: Date?
        public let lastLeave: Date?
        public let secondsInRoom: Int
        public let stays: Int
        public let moves: Int
        public let reconnects: Int
        public let drops: Int
    }

    public struct Event: Encodable, Sendable, Equatable {
        public enum Kind: String, Encodable, Sendable {
            case joined, left, moved, dropped, reconnected
            case appClosed = "app_closed", hostEnded = "host_ended"
        }
        public let at: Date
        /// nil when names are withheld.
        public let name: String?
        public let kind: Kind
    }

    public struct Instance: Encodable, Sendable, Equatable {
        public let meeting: MeetingsReport.Meeting
        public let participantCount: Int
        public let participants: [Participant]
        public let eventCount: Int
        public let events: [Event]
        /// People in the meeting after each change (a person counts once however many connections).
        public let occupancy: [Occupancy]
        /// Whether the events come from the instance's own timeline (moves included) or, without
        /// it, from the people's stays and drops.
        public let source: String
        public let stability: StabilityReport

        enum CodingKeys: String, CodingKey { case meeting, participantCount, participants, eventCount, events, occupancy, source }
    }

    public struct Occupancy: Encodable, Sendable, Equatable {
        public let at: Date
        public let people: Int
    }

    public let meetingID: String
    public let topic: String?
    public let instanceCount: Int
    public let instances: [MeetingsReport.Meeting]
    public let selected: Instance?
    public let room: RoomReport.Room?

    static func make(_ data: DashboardData, meetingID: String, audience: Audience, period: Period, now: Date, query: DashboardQuery,
                     timeline: [String]?, rules: ProjectionRules, limit: Int) throws(DashboardError) -> MeetingReport {
        guard data.knows(meetingID: meetingID) else { throw .notFound("no meeting \(meetingID)") }
        var scoped = query
        scoped.meetingID = meetingID
        scoped.search = nil
        let instances = MeetingsReport.rows(data, audience: audience, period: period, now: now, query: scoped)
        let all = data.instancesByMeeting[meetingID] ?? []
        let chosen: Int?
        if let wanted = query.instance {
            guard let found = all.first(where: { data.meetings[$0].id == wanted }) else { throw .notFound("no instance \(wanted) of meeting \(meetingID)") }
            chosen = found
        } else {
            chosen = instances.first.flatMap { first in all.first { data.meetings[$0].id == first.instance } } ?? all.last
        }
        let selected = chosen.map { instance(data, $0, audience: audience, now: now, timeline: timeline, rules: rules, limit: limit) }
        let live = selected?.meeting.live == true || (data.rowsByMeeting[meetingID] ?? []).contains { data.row($0).inRoom }
        return MeetingReport(meetingID: meetingID, topic: data.topics[meetingID], instanceCount: instances.count,
                             instances: Array(instances.prefix(50)), selected: selected,
                             room: live ? RoomReport.room(meetingID, data: data, instance: chosen.map { data.meetings[$0] },
                                                          audience: audience, now: now, recent: query.recent) : nil)
    }

    /// The instance the meeting page shows when none is asked for (its timeline is read for it).
    static func chosenInstance(_ data: DashboardData, meetingID: String, period: Period, now: Date, query: DashboardQuery) -> String? {
        if let wanted = query.instance { return wanted }
        let all = data.instancesByMeeting[meetingID] ?? []
        return (all.last { period.overlaps(data.meetings[$0].startedAt?.date, data.meetings[$0].endedAt?.date ?? now) } ?? all.last)
            .map { data.meetings[$0].id }
    }

    static func instance(_ data: DashboardData, _ index: Int, audience: Audience, now: Date, timeline: [String]?,
                         rules: ProjectionRules, limit: Int) -> Instance {
        let meeting = data.meetings[index], id = meeting.meetingID ?? ""
        let nowMS = DashboardData.ms(now)
        let start = meeting.startedAt?.milliseconds ?? .min, end = meeting.endedAt?.milliseconds ?? nowMS
        // A stay belongs to the instance it began in (a little before the start counts: early joiners).
        func inside(_ at: Int64) -> Bool { at >= (start == .min ? .min : start - 600_000) && at <= end }
        var participants: [Participant] = [], count = 0
        var fallback: [Event] = [], changes: [(at: Date, who: String, kind: Event.Kind)] = []
        for row in (data.rowsByMeeting[id] ?? []).map(data.row) {
            let stays = row.sessions.filter { $0.joinedAt.map { inside($0.milliseconds) } ?? false }
            let drops = row.disconnections.filter { inside($0.at.milliseconds) }
            guard !stays.isEmpty || !drops.isEmpty else { continue }
            count += 1
            let name = audience.name(row.name)
            let seconds = stays.reduce(0) { total, stay in
                total + (stay.leftAt == nil && row.inRoom ? Int(max(0, nowMS - stay.joinedAt!.milliseconds) / 1000) : stay.secondsConnected)
            }
            if let name {
                participants.append(Participant(name: name, person: audience.personKey(row.name), firstJoin: stays.first?.joinedAt?.date,
                                                lastLeave: stays.last?.leftAt?.date, secondsInRoom: seconds, stays: stays.count,
                                                moves: stays.reduce(0) { $0 + $1.moves }, reconnects: stays.reduce(0) { $0 + $1.reconnects },
                                                drops: drops.count))
            }
            func add(_ at: Date, _ kind: Event.Kind) {
                fallback.append(Event(at: at, name: name, kind: kind))
                changes.append((at, row.id, kind))
            }
            for stay in stays {
                if let joined = stay.joinedAt { add(joined.date, .joined) }
                if let left = stay.leftAt, !drops.contains(where: { $0.at == left }) { add(left.date, .left) }
            }
            for drop in drops {
                add(drop.at.date, drop.kind == .reconnect ? .reconnected : .dropped)
                if let back = drop.returnedAt { changes.append((back.date, row.id, .joined)) }
            }
        }
        participants.sort { ($0.firstJoin ?? .distantFuture, $0.name) < ($1.firstJoin ?? .distantFuture, $1.name) }
        let entries = (timeline ?? []).compactMap(InstanceTimeline.parse)
        var events = entries.isEmpty ? fallback : classified(entries, instance: meeting.id, audience: audience, rules: rules.leaves)
        events.sort { ($0.at, $0.kind.rawValue) < ($1.at, $1.kind.rawValue) }
        let window = Period(kind: .custom, start: Date(milliseconds: start == .min ? (entries.map(\.at).min() ?? nowMS) : start),
                            end: Date(milliseconds: max(end, start == .min ? nowMS : start + 60_000) + 1), from: nil, to: nil)
        return Instance(meeting: MeetingsReport.row(data, index, now: nowMS), participantCount: count,
                        participants: Array(participants.prefix(limit)), eventCount: events.count, events: Array(events.prefix(limit)),
                        occupancy: occupancy(entries.isEmpty ? changes : entries.map {
                            (Date(milliseconds: $0.at), $0.person + "\u{0}" + $0.attendee, $0.kind == .join ? .joined : .left)
                        }, byConnection: !entries.isEmpty),
                        source: entries.isEmpty ? "presence" : "timeline",
                        stability: StabilityReport.make(data, audience: audience, period: window, now: now, meetingID: id, limit: limit))
    }

    /// The instance's own joins and leaves, each leave classified as the projections classify it.
    static func classified(_ entries: [InstanceTimeline.Entry], instance: String, audience: Audience, rules: LeaveRules) -> [Event] {
        func movement(_ entry: InstanceTimeline.Entry) -> Movement {
            Movement(at: entry.at, direction: entry.kind == .join ? .join : .leave, instance: instance, attendee: entry.attendee,
                     participantUUID: entry.participantUUID, reason: entry.reason)
        }
        var events: [Event] = []
        for (_, own) in Dictionary(grouping: entries, by: \.person) {
            let movements = own.map(movement)
            var moves = Set<String>()
            for entry in own where entry.kind == .leave {
                let kind = rules.classify(movement(entry), among: movements)
                if kind == .move { moves.insert("\(entry.at / 1000)|\(entry.attendee)") }
                let shown: Event.Kind = switch kind {
                case .move: .moved
                case .networkDrop: .dropped
                case .reconnect: .reconnected
                case .appClosed: .appClosed
                case .hostEnded: .hostEnded
                case .left: .left
                }
                events.append(Event(at: Date(milliseconds: entry.at), name: audience.name(entry.name), kind: shown))
            }
            // The join half of a move is the move itself.
            for entry in own where entry.kind == .join && !moves.contains("\(entry.at / 1000)|\(entry.attendee)") {
                events.append(Event(at: Date(milliseconds: entry.at), name: audience.name(entry.name), kind: .joined))
            }
        }
        return events
    }

    /// People in after each change: a person is in while any of their connections is.
    static func occupancy(_ changes: [(at: Date, who: String, kind: Event.Kind)], byConnection: Bool) -> [Occupancy] {
        var open: [String: Int] = [:], people: [String: Int] = [:], points: [Occupancy] = []
        let ordered = changes.filter { [.joined, .left, .dropped, .reconnected, .appClosed, .hostEnded].contains($0.kind) }
            .sorted { ($0.at, $0.kind == .joined ? 1 : 0) < ($1.at, $1.kind == .joined ? 1 : 0) }
        for change in ordered {
            let person = byConnection ? String(change.who.split(separator: "\u{0}").first ?? "") : change.who
            if change.kind == .joined {
                if (open[change.who] ?? 0) == 0 { people[person, default: 0] += 1 }
                open[change.who] = 1
            } else if (open[change.who] ?? 0) > 0 {
                open[change.who] = 0
                people[person, default: 0] -= 1
                if people[person] == 0 { people[person] = nil }
            }
            if points.last?.at == change.at { points.removeLast() }
            points.append(Occupancy(at: change.at, people: people.count))
        }
        return points
    }
}
