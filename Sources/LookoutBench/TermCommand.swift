import ArgumentParser
import Foundation
import LookoutCore
import Projections

/// `lookout-bench term`: a term of meetings (`TermSample`) written straight into the projection
/// collections the dashboard reads — presence, meetings (with their timelines and peaks),
/// incidents, alerts — through the projection's own rules, then the change marker bumped so a
/// running `lookout web` reads it. The raw events and attendance facts are not written (a term is
/// ~10⁶ of them): a live event about a sample person later is projected from that event alone.
struct TermCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "term",
        abstract: "Write a synthetic school term into the projections (ops/run --sample term, ops/bench dashboard, the browser test).",
        discussion: "Prints one line: `instances=N presence=P facts=F incidents=I platform_wide=W seconds=S`.")

    @Option(help: "MongoDB URI (database in the path).") var uri: String
    @Option(help: "Days of term, ending today.") var days = 30
    @Option(name: .customLong("meetings-per-day"), help: "Class meetings (rooms), each meeting once a weekday.") var meetingsPerDay = 300
    @Option(name: .customLong("min-people"), help: "Smallest class.") var minPeople = 10
    @Option(name: .customLong("max-people"), help: "Largest class.") var maxPeople = 40
    @Option(help: "Meetings on now, whatever the hour.") var live = 20
    @Option(name: .customLong("time-zone"), help: "Time zone of the school day (classes 08:00–17:00).") var timeZone = "UTC"
    @Option(help: "Same seed, same term.") var seed: UInt64 = 15
    @Option(help: "Documents per insert_many.") var batch = 500

    func validate() throws {
        guard days >= 1, days <= 400, meetingsPerDay >= 1, minPeople >= 1, maxPeople >= minPeople else {
            throw ValidationError("need 1...400 days, a meeting a day, and 1 <= min-people <= max-people")
        }
        guard TimeZone(identifier: timeZone) != nil else { throw ValidationError("unknown time zone \(timeZone)") }
    }

    func run() throws {
        let started = ContinuousClock.now
        var options = TermSample.Options()
        options.days = days
        options.meetingsPerDay = meetingsPerDay
        options.people = minPeople...maxPeople
        options.live = live
        options.seed = seed
        options.timeZone = TimeZone(identifier: timeZone)!
        let sample = TermSample(options)
        let rules = ProjectionRules()
        let writer = try ProjectionWriter(uri: uri, batch: batch)
        try writer.removePreviousSample()
        var counts = (instances: 0, facts: 0, incidents: 0, presence: 0)
        // Room by room: a room's facts for the whole term make its people's presence, then go.
        for (room, instances) in Dictionary(grouping: sample.instances(), by: \.room).sorted(by: { $0.key < $1.key }) {
            var roomFacts: [AttendanceFact] = []
            for instance in instances.map(\.instance) {
                let facts = sample.facts(instance, room: sample.rooms[room])
                roomFacts += facts
                let update = Projector.update(groupFacts: [], instanceFacts: facts, rules: rules)
                let timeline = InstanceTimeline.entries(of: facts, rules: rules.leaves)[instance.uuid] ?? []
                try writer.meeting(instance, timeline: timeline, peak: update.peaks.first?.participants)
                if let incidents = update.incidents.first {
                    try writer.incidents(incidents)
                    counts.incidents += incidents.incidents.count
                }
                counts.instances += 1
                counts.facts += facts.count
            }
            for row in Projector.update(groupFacts: roomFacts, instanceFacts: [], rules: rules).presence {
                try writer.presence(row)
                counts.presence += 1
            }
        }
        try writer.finish()
        let platformWide = Set(writer.incidentsWritten.filter { incident in
            writer.incidentsWritten.contains { $0.meetingID != incident.meetingID && abs($0.startedAt.milliseconds - incident.startedAt.milliseconds) <= 120_000 }
        }.map(\.id)).count
        let seconds = (ContinuousClock.now - started).timeInterval
        print("instances=\(counts.instances) presence=\(counts.presence) facts=\(counts.facts) incidents=\(counts.incidents) "
              + "platform_wide=\(platformWide) seconds=\(String(format: "%.1f", seconds))")
    }
}
