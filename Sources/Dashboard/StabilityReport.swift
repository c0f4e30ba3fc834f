import Foundation
import Projections

/// How stable the connections were in a period: who keeps dropping (who needs help), collective
/// incidents (platform-wide ones flagged), and Zoom's quality alerts; lists capped at `limit`
/// (counts say how many there are in all).
public struct StabilityReport: Encodable, Sendable, Equatable {
    public struct Participant: Encodable, Sendable, Equatable {
        public let name: String
        /// The person page's key (nil when names are withheld).
        public let person: String?
        public let disconnections: Int
        /// Came back within the bounce window.
        public let bounced: Int
        public let longestAwaySeconds: Int?
        public let lastDisconnection: Date
        public let meetings: [String]
    }

    public struct Drop: Encodable, Sendable, Equatable {
        public let name: String?
        public let meetingID: String
        public let at: Date
        public let reason: String
        public let kind: String
        public let returnedAt: Date?
        public let bounced: Bool
        public let cause: DisconnectionCause
    }

    public struct Incident: Encodable, Sendable, Equatable {
        public let id: String
        public let meetingID: String
        public let topic: String?
        public let startedAt: Date
        public let endedAt: Date
        public let participantCount: Int
        /// Only the names the audience may see.
        public let participants: [String]
        public let platformWide: Bool
    }

    public struct Alert: Encodable, Sendable, Equatable {
        public let meetingID: String
        public let topic: String?
        public let at: Date
        public let issues: [String]
    }

    /// The span the report covers (the period, up to now).
    public struct Span: Encodable, Sendable, Equatable {
        public let from: Date
        public let until: Date
    }

    /// What the timeline draws: every drop and incident of the period, not only the listed ones.
    struct Timeline: Sendable, Equatable {
        struct Lane: Sendable, Equatable {
            let label: String
            /// Drop times and whether the person came back quickly.
            let drops: [(at: Date, bounced: Bool, title: String)]
            let incidents: [Incident]
            static func == (a: Lane, b: Lane) -> Bool { a.label == b.label && a.drops.count == b.drops.count && a.incidents == b.incidents }
        }
        let lanes: [Lane]
    }

    public let generatedAt: Date
    public let period: Span?
    public let participantCount: Int
    public let participants: [Participant]
    public let dropCount: Int
    public let drops: [Drop]
    public let incidentCount: Int
    public let incidents: [Incident]
    public let alerts: [Alert]
    /// Meeting id to topic, for the pages' labels (the API's rows carry meeting ids).
    public let topics: [String: String]
    let timeline: Timeline

    enum CodingKeys: String, CodingKey {
        case generatedAt, period, participantCount, participants, dropCount, drops, incidentCount, incidents, alerts
    }

    static func make(_ data: DashboardData, audience: Audience, period: Period, now: Date, meetingID: String? = nil,
                     limit: Int = 100) -> StabilityReport {
        let dropIndices = data.drops(in: period).filter { meetingID == nil || data.row(data.drops[$0].row).meetingID == meetingID }
        var drops: [Drop] = [], named: [Int: (raw: String, shown: String, drops: [Drop])] = [:]
        // One pseudonym (an HMAC) per person, not per drop.
        var names: [Int: String?] = [:]
        for index in dropIndices {
            let drop = data.drops[index], fact = data.disconnection(drop)
            let name = names[drop.person] ?? {
                let name = audience.name(fact.name)
                names[drop.person] = .some(name)
                return name
            }()
            let shown = Drop(name: name, meetingID: fact.meetingID, at: fact.at.date, reason: audience.privacy.reason(fact.reason, of: fact.name), kind: fact.kind.rawValue,
                             returnedAt: fact.returnedAt?.date, bounced: fact.bounced, cause: drop.cause)
            drops.append(shown)
            if let name { named[drop.person, default: (fact.name, name, [])].drops.append(shown) }
        }
        let participants = named.values.map { raw, name, drops in
            Participant(name: name, person: audience.personKey(raw), disconnections: drops.count, bounced: drops.count(where: \.bounced),
                        longestAwaySeconds: drops.compactMap { drop in drop.returnedAt.map { Int($0.timeIntervalSince(drop.at)) } }.max(),
                        lastDisconnection: drops.map(\.at).max()!, meetings: Set(drops.map(\.meetingID)).sorted())
        }.sorted { ($0.disconnections, $0.lastDisconnection, $1.name) > ($1.disconnections, $1.lastDisconnection, $0.name) }
        let incidents = data.incidents(in: period).map { data.incidents[$0] }.filter { meetingID == nil || $0.meetingID == meetingID }.map { incident in
            Incident(id: incident.id, meetingID: incident.meetingID, topic: incident.topic, startedAt: incident.startedAt.date,
                     endedAt: incident.endedAt.date, participantCount: incident.participantCount,
                     participants: incident.participants.compactMap(audience.name),
                     platformWide: data.platformWide.contains(incident.id))
        }
        let alerts = data.alerts.filter { period.contains($0.at.date) && (meetingID == nil || $0.meetingID == meetingID) }.map {
            Alert(meetingID: $0.meetingID, topic: $0.topic, at: $0.at.date, issues: $0.issues)
        }
        let span = self.span(drops, incidents, data: data, period: period, now: now)
        return StabilityReport(generatedAt: now, period: span, participantCount: participants.count,
                               participants: Array(participants.prefix(limit)), dropCount: drops.count,
                               drops: Array(drops.suffix(limit * 5)), incidentCount: incidents.count,
                               incidents: Array(incidents.reversed().prefix(limit)),
                               alerts: Array(alerts.reversed().prefix(limit)), topics: data.topics,
                               timeline: timeline(drops, incidents, topics: data.topics, single: meetingID != nil))
    }

    /// What the timeline spans: the period's drops and incidents and the meetings they happened in,
    /// never beyond the period (a year of data is not squeezed into one picture), at least ten
    /// minutes (one drop is not alone in the middle of nothing).
    static func span(_ drops: [Drop], _ incidents: [Incident], data: DashboardData, period: Period, now: Date) -> Span? {
        let instants = drops.map(\.at) + incidents.flatMap { [$0.startedAt, $0.endedAt] }
        guard !instants.isEmpty else { return nil }
        var meetings = Set<Int>()
        for drop in drops {
            if let id = data.instance(of: drop.meetingID, at: DashboardData.ms(drop.at)) { meetings.insert(id) }
        }
        let spans = meetings.compactMap { index -> (Date, Date)? in
            let (start, end) = data.instanceSpans[index]
            return start.map { (Date(milliseconds: $0), end.map(Date.init(milliseconds:)) ?? now) }
        }
        var from = max(period.start, (instants + spans.map(\.0)).min()!)
        var until = min(period.end, now, (instants + spans.map(\.1)).max()!)
        if until < from { until = from }
        let missing = max(0, 600 - until.timeIntervalSince(from))
        from = from.addingTimeInterval(-missing / 2)
        until = until.addingTimeInterval(missing / 2)
        return Span(from: from, until: until)
    }

    /// One lane per meeting for the meetings with the most incidents and drops, the rest in one lane.
    static let lanes = 8

    static func timeline(_ drops: [Drop], _ incidents: [Incident], topics: [String: String], single: Bool) -> Timeline {
        var weight: [String: Int] = [:]
        for drop in drops { weight[drop.meetingID, default: 0] += 1 }
        for incident in incidents { weight[incident.meetingID, default: 0] += 100 }
        let ranked = weight.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
        let own = Set(ranked.prefix(ranked.count > lanes ? lanes - 1 : lanes))
        func lane(_ label: String, _ wanted: (String) -> Bool) -> Timeline.Lane {
            Timeline.Lane(label: label, drops: drops.filter { wanted($0.meetingID) }.map { drop in
                let back = drop.returnedAt.map { "back after " + DisplayClock.duration(Int($0.timeIntervalSince(drop.at))) } ?? "not back"
                return (drop.at, drop.bounced, "\(drop.name ?? "Someone") — \(back)")
            }, incidents: incidents.filter { wanted($0.meetingID) })
        }
        var lanes = ranked.filter(own.contains).map { id in lane(topics[id] ?? "Meeting \(id)") { $0 == id } }
        if ranked.count > own.count {
            lanes.append(lane("\(ranked.count - own.count) other meetings") { !own.contains($0) })
        }
        return Timeline(lanes: single ? Array(lanes.prefix(1)) : lanes)
    }
}
