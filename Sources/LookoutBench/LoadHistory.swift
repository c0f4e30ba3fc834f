import ArgumentParser
import CMongoC
import Foundation
import Projections

/// History for the projection benchmark: the meeting instances' documents (facts, timeline and
/// what they project to) that `count` stored join/leave events would have left behind, written
/// straight to the `meetings` collection (much faster than pushing them through the pipeline, and
/// it is this collection the projection reads). Meetings hold 50 participants each, as in a class.
struct LoadHistory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load-history",
        abstract: "Add the meeting instances (facts and projections) of COUNT past events.",
        discussion: "Prints one line: `facts=N presence=P seconds=S`.")

    @Option(help: "MongoDB URI (database in the path).") var uri: String
    @Option(help: "Events of history to add (a join and a leave per participant).") var count: Int
    @Option(name: .customLong("run"), help: "Tag that keeps this history apart from other loads.") var tag = "history-\(Int(Date().timeIntervalSince1970))"
    @Option(help: "Documents per insert_many.") var batch = 100

    func run() throws {
        let writer = try ProjectionWriter(uri: uri, batch: batch, rules: ProjectionRules(), mark: tag)
        let start = ContinuousClock.now
        let base = Date().addingTimeInterval(-86_400 * 30)
        let people = (count + 1) / 2
        var facts = 0
        for first in stride(from: 0, to: people, by: 50) {
            let meeting = "\(87_000_000_000 + first / 50)"
            let instance = "\(tag)-\(meeting)"
            var instanceFacts: [AttendanceFact] = []
            for person in first..<min(people, first + 50) {
                let name = "\(tag)-\(person)"
                let joined = base.addingTimeInterval(Double(person))
                instanceFacts += [
                    AttendanceFact(id: "\(name)-j", meetingID: meeting, meetingUUID: instance, attendee: name, name: name,
                                   kind: .join, at: BSONDate(joined), topic: "History class \(meeting)"),
                    AttendanceFact(id: "\(name)-l", meetingID: meeting, meetingUUID: instance, attendee: name, name: name,
                                   kind: .leave, at: BSONDate(joined.addingTimeInterval(3000)), leaveReason: "left the meeting",
                                   topic: "History class \(meeting)"),
                ]
            }
            try writer.meeting(.init(id: instance, meetingID: meeting, topic: "History class \(meeting)", hostID: "history-host",
                                     startedAt: BSONDate(base.addingTimeInterval(Double(first))), endedAt: nil), facts: instanceFacts)
            facts += instanceFacts.count
        }
        try writer.finish()
        let elapsed = (ContinuousClock.now - start).seconds
        print("facts=\(facts) presence=\(writer.peopleWritten) seconds=\(String(format: "%.2f", elapsed))")
    }
}
