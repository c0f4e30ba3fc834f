import Foundation
import Projections

/// The front page: the period per day (per hour for a day), the worst days and hours, the
/// platform-wide incidents, and the answer to "was yesterday a bad day, and whose fault was it?".
public struct OverviewReport: Encodable, Sendable, Equatable {
    public struct PlatformEvent: Encodable, Sendable, Equatable {
        public let startedAt: Date
        public let endedAt: Date
        public let meetings: Int
        public let people: Int
        public let incidents: [String]
    }

    /// One day judged against the usual: how it compares, and where the disconnections came from.
    public struct Verdict: Encodable, Sendable, Equatable {
        public struct Person: Encodable, Sendable, Equatable {
            public let name: String
            public let person: String?
            public let disconnections: Int
        }

        public struct Meeting: Encodable, Sendable, Equatable {
            public let meetingID: String
            public let topic: String?
            public let disconnections: Int
        }

        public let label: String
        public let day: PeriodStats.Bucket
        /// The median daily rate of the last 30 days.
        public let usualRate: Double?
        public let people: [Person]
        public let meetings: [Meeting]
        public let platformWide: [PlatformEvent]
    }

    public let generatedAt: Date
    public let from: Date
    public let until: Date
    public let stats: PeriodStats
    public let worst: [PeriodStats.Bucket]
    /// For a period of several days, its worst hours.
    public let worstHours: [PeriodStats.Bucket]
    public let platformWide: [PlatformEvent]
    public let yesterday: Verdict?
    public let today: Verdict?

    static func make(_ data: DashboardData, audience: Audience, period: Period, calendar: Calendar, now: Date) -> OverviewReport {
        let stats = PeriodStats.make(data, period: period, calendar: calendar, now: now)
        let hours = stats.bucket == .hour ? nil : PeriodStats.make(data, period: period, bucket: .hour, calendar: calendar, now: now)
        let events = data.platformEvents.filter { period.contains(Date(milliseconds: $0.start)) }.map { event(data, $0) }
        let today = calendar.startOfDay(for: now)
        let recent = Period(kind: .custom, start: calendar.date(byAdding: .day, value: -30, to: today)!,
                            end: calendar.date(byAdding: .day, value: 1, to: today)!, from: nil, to: nil)
        let daily = PeriodStats.make(data, period: recent, bucket: .day, calendar: calendar, now: now)
        let usual = daily.medianRate
        func verdict(_ bucket: PeriodStats.Bucket?, _ label: String) -> Verdict? {
            guard let bucket, bucket.participantHours > 0 || bucket.disconnections > 0 else { return nil }
            return self.verdict(data, bucket, label: label, usual: usual, audience: audience)
        }
        return OverviewReport(generatedAt: now, from: period.start, until: min(period.end, now), stats: stats,
                              worst: stats.worst(5), worstHours: hours?.worst(5) ?? [],
                              platformWide: Array(events.reversed().prefix(50)),
                              yesterday: verdict(daily.buckets.dropLast().last, "Yesterday"),
                              today: verdict(daily.buckets.last, "Today so far"))
    }

    static func event(_ data: DashboardData, _ event: DashboardData.PlatformEvent) -> PlatformEvent {
        PlatformEvent(startedAt: Date(milliseconds: event.start), endedAt: Date(milliseconds: event.end), meetings: event.meetings,
                      people: event.people, incidents: event.incidents.map { data.incidents[$0].id })
    }

    /// Who dropped most on their own, and which meetings lost most people together, that day.
    static func verdict(_ data: DashboardData, _ day: PeriodStats.Bucket, label: String, usual: Double?, audience: Audience) -> Verdict {
        let period = Period(kind: .custom, start: day.start, end: day.end, from: nil, to: nil)
        var people: [Int: (raw: String, count: Int)] = [:], meetings: [String: Int] = [:]
        for index in data.drops(in: period) {
            let drop = data.drops[index]
            if drop.cause == .individual {
                people[drop.person, default: (data.row(drop.row).name, 0)].count += 1
            } else {
                meetings[data.row(drop.row).meetingID, default: 0] += 1
            }
        }
        let named = people.values.sorted { ($0.count, $1.raw) > ($1.count, $0.raw) }.compactMap { raw, count -> Verdict.Person? in
            audience.name(raw).map { Verdict.Person(name: $0, person: audience.personKey(raw), disconnections: count) }
        }
        let stats = PeriodStats.Bucket(start: day.start, end: day.end, meetings: day.meetings, participants: day.participants,
                                       participantHours: day.participantHours, drops: day.drops, reconnects: day.reconnects,
                                       incidents: day.incidents, platformWideIncidents: day.platformWideIncidents,
                                       individual: day.individual, collective: day.collective, platformWide: day.platformWide,
                                       vsMedian: day.rate.flatMap { rate in usual.flatMap { $0 > 0 ? rate / $0 : nil } })
        return Verdict(label: label, day: stats, usualRate: usual, people: Array(named.prefix(3)),
                       meetings: meetings.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(3).map {
                           Verdict.Meeting(meetingID: $0.key, topic: data.topics[$0.key], disconnections: $0.value)
                       },
                       platformWide: data.platformEvents.filter { period.contains(Date(milliseconds: $0.start)) }.map { event(data, $0) })
    }
}
