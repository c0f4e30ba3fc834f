import Foundation
import Projections

/// A period counted per hour, day or week: meetings, participants, participant-hours, drops and
/// reconnects (per participant-hour, the rate that compares a busy day with a quiet one),
/// collective and platform-wide incidents, and each bucket against the period's median rate.
public struct PeriodStats: Encodable, Sendable, Equatable {
    public struct Bucket: Encodable, Sendable, Equatable {
        public let start: Date
        public let end: Date
        public let meetings: Int
        public let participants: Int
        public let participantHours: Double
        /// Network drops (every disconnection kind but reconnects).
        public let drops: Int
        public let reconnects: Int
        public let incidents: Int
        public let platformWideIncidents: Int
        /// Drops and reconnects by cause: alone, in a collective incident, in a platform-wide one.
        public let individual: Int
        public let collective: Int
        public let platformWide: Int
        /// This bucket's rate over the period's median rate.
        public let vsMedian: Double?

        public var disconnections: Int { drops + reconnects }
        public var rate: Double? { participantHours >= PeriodStats.least ? Double(disconnections) / participantHours : nil }
        public var dropsPerParticipantHour: Double? { participantHours >= PeriodStats.least ? Double(drops) / participantHours : nil }
        public var reconnectsPerParticipantHour: Double? {
            participantHours >= PeriodStats.least ? Double(reconnects) / participantHours : nil
        }

        /// Whose fault, most likely: where most of the disconnections came from.
        public var cause: DisconnectionCause? {
            guard disconnections > 0 else { return nil }
            if platformWideIncidents > 0, Double(platformWide) >= 0.3 * Double(disconnections) { return .platformWide }
            if Double(collective + platformWide) >= 0.3 * Double(disconnections) { return .collective }
            return .individual
        }

        /// Well above the usual, or hit by a platform-wide incident.
        public var isBad: Bool { (vsMedian ?? 0) >= 1.5 || platformWideIncidents > 0 }

        enum CodingKeys: String, CodingKey {
            case start, end, meetings, participants, participantHours, drops, reconnects, incidents, platformWideIncidents
            case individual, collective, platformWide, vsMedian, rate, dropsPerParticipantHour, reconnectsPerParticipantHour, cause, isBad
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(start, forKey: .start)
            try c.encode(end, forKey: .end)
            try c.encode(meetings, forKey: .meetings)
            try c.encode(participants, forKey: .participants)
            try c.encode((participantHours * 100).rounded() / 100, forKey: .participantHours)
            try c.encode(drops, forKey: .drops)
            try c.encode(reconnects, forKey: .reconnects)
            try c.encode(incidents, forKey: .incidents)
            try c.encode(platformWideIncidents, forKey: .platformWideIncidents)
            try c.encode(individual, forKey: .individual)
            try c.encode(collective, forKey: .collective)
            try c.encode(platformWide, forKey: .platformWide)
            try c.encodeIfPresent(vsMedian.map { ($0 * 100).rounded() / 100 }, forKey: .vsMedian)
            try c.encodeIfPresent(rate.map { ($0 * 1000).rounded() / 1000 }, forKey: .rate)
            try c.encodeIfPresent(dropsPerParticipantHour.map { ($0 * 1000).rounded() / 1000 }, forKey: .dropsPerParticipantHour)
            try c.encodeIfPresent(reconnectsPerParticipantHour.map { ($0 * 1000).rounded() / 1000 }, forKey: .reconnectsPerParticipantHour)
            try c.encodeIfPresent(cause, forKey: .cause)
            try c.encode(isBad, forKey: .isBad)
        }
    }

    /// Below one participant-hour a rate says more about chance than about connections.
    static let least = 1.0

    public let bucket: Period.Bucket
    public let buckets: [Bucket]
    /// The whole period as one bucket (participants counted once).
    public let total: Bucket
    /// Median rate of the buckets with enough participant-hours.
    public let medianRate: Double?

    /// The worst buckets, worst first: those with any disconnection and a usual attendance (a
    /// quiet Sunday's two drops are not a bad day).
    public func worst(_ count: Int) -> [Bucket] {
        let usual = Self.usualHours(buckets)
        return Array(buckets.filter { ($0.rate ?? 0) > 0 && $0.participantHours >= usual }
            .sorted { ($0.rate!, $0.start) > ($1.rate!, $1.start) }.prefix(count))
    }

    /// A quarter of the median participant-hours of the buckets with any (and at least `least`).
    static func usualHours(_ buckets: [Bucket]) -> Double {
        let hours = buckets.map(\.participantHours).filter { $0 > 0 }.sorted()
        guard !hours.isEmpty else { return least }
        return max(least, hours[hours.count / 2] / 4)
    }

    /// - Parameters:
    ///   - rows: only these presence rows (a person's, a meeting's); nil: everyone.
    static func make(_ data: DashboardData, period: Period, bucket: Period.Bucket? = nil, calendar: Calendar, now: Date,
                     rows: Set<Int>? = nil) -> PeriodStats {
        let bucket = bucket ?? period.bucket
        let nowMS = DashboardData.ms(now)
        var bounds: [Int64] = []
        var cursor = period.start
        while cursor < period.end, cursor <= now {
            bounds.append(DashboardData.ms(cursor))
            cursor = calendar.date(byAdding: bucket == .hour ? .hour : .day, value: bucket == .week ? 7 : 1, to: cursor)!
        }
        bounds.append(DashboardData.ms(min(cursor, period.end)))
        let count = bounds.count - 1
        func index(_ at: Int64) -> Int? {
            guard count > 0, at >= bounds[0], at < bounds[count] else { return nil }
            var (low, high) = (0, count)
            while high - low > 1 {
                let middle = (low + high) / 2
                if bounds[middle] <= at { low = middle } else { high = middle }
            }
            return low
        }
        var seconds = [Double](repeating: 0, count: count), people = [Set<Int>](repeating: [], count: count)
        var meetings = [Set<Int>](repeating: [], count: count)
        var everyone = Set<Int>(), allMeetings = Set<Int>()
        let (start, end) = (bounds[0], bounds[count])
        for span in data.spans(in: period) where rows?.contains(span.row) ?? true {
            let spanEnd = min(span.end ?? nowMS, end)
            guard span.start < end, spanEnd > start, let first = index(max(span.start, start)) else { continue }
            let length = Double(max(1, (span.end ?? nowMS) - span.start))
            let connected = span.end == nil ? length / 1000 : Double(span.seconds)
            everyone.insert(span.person)
            let instance = rows == nil ? nil : data.instance(of: data.row(span.row).meetingID, at: span.start)
            if let instance { allMeetings.insert(instance) }
            var k = first
            while k < count, bounds[k] < spanEnd {
                let overlap = Double(min(spanEnd, bounds[k + 1]) - max(span.start, bounds[k]))
                if overlap > 0 {
                    seconds[k] += connected * overlap / length
                    people[k].insert(span.person)
                    if let instance { meetings[k].insert(instance) }
                }
                k += 1
            }
        }
        if rows == nil {
            for (number, meeting) in data.meetings.enumerated() {
                guard let started = meeting.startedAt?.milliseconds, let k = index(started) else { continue }
                meetings[k].insert(number)
                allMeetings.insert(number)
            }
        }
        var tallies = [Tally](repeating: Tally(), count: count), whole = Tally()
        for number in data.drops(in: period) {
            let drop = data.drops[number]
            guard rows?.contains(drop.row) ?? true, let k = index(drop.at) else { continue }
            tallies[k].add(drop)
            whole.add(drop)
        }
        if rows == nil {
            for number in data.incidents(in: period) {
                let incident = data.incidents[number]
                guard let k = index(incident.startedAt.milliseconds) else { continue }
                let platform = data.platformWide.contains(incident.id)
                tallies[k].incidents.insert(number)
                whole.incidents.insert(number)
                if platform {
                    tallies[k].platformIncidents.insert(number)
                    whole.platformIncidents.insert(number)
                }
            }
        }
        func make(_ k: Int?, _ tally: Tally, median: Double?) -> Bucket {
            let hours = (k.map { seconds[$0] } ?? seconds.reduce(0, +)) / 3600
            let rate = hours >= least ? Double(tally.drops + tally.reconnects) / hours : nil
            return Bucket(start: Date(milliseconds: k.map { bounds[$0] } ?? start), end: Date(milliseconds: k.map { bounds[$0 + 1] } ?? end),
                          meetings: k.map { meetings[$0].count } ?? allMeetings.count,
                          participants: k.map { people[$0].count } ?? everyone.count, participantHours: hours,
                          drops: tally.drops, reconnects: tally.reconnects, incidents: tally.incidents.count,
                          platformWideIncidents: tally.platformIncidents.count, individual: tally.individual,
                          collective: tally.collective, platformWide: tally.platform,
                          vsMedian: rate.flatMap { rate in median.flatMap { $0 > 0 ? rate / $0 : nil } })
        }
        let first = (0..<count).map { make($0, tallies[$0], median: nil) }
        let usual = usualHours(first)
        let rates = first.filter { $0.participantHours >= usual }.compactMap(\.rate).sorted()
        let median = rates.isEmpty ? nil : rates.count % 2 == 1 ? rates[rates.count / 2] : (rates[rates.count / 2 - 1] + rates[rates.count / 2]) / 2
        return PeriodStats(bucket: bucket, buckets: (0..<count).map { make($0, tallies[$0], median: median) },
                           total: make(nil, whole, median: median), medianRate: median)
    }
}

/// What a bucket counts of drops and incidents.
private struct Tally {
    var drops = 0, reconnects = 0, individual = 0, collective = 0, platform = 0
    var incidents = Set<Int>(), platformIncidents = Set<Int>()

    mutating func add(_ drop: DashboardData.Drop) {
        if drop.isReconnect { reconnects += 1 } else { drops += 1 }
        switch drop.cause {
        case .individual: individual += 1
        case .collective: collective += 1
        case .platformWide: platform += 1
        }
    }
}

extension Date {
    init(milliseconds: Int64) { self.init(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
