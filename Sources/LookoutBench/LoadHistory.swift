import ArgumentParser
import Foundation
import LookoutCore
import MongoStorage
import Projections

/// History for the projection benchmark: the facts and presence rows that `count` stored
/// join/leave events would have left behind, written straight to the projection collections
/// (much faster than pushing them through the pipeline, and it is these collections the
/// projection reads). Meetings hold 50 participants each, as in a class.
struct LoadHistory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load-history",
        abstract: "Add the attendance facts and presence rows of COUNT past events.",
        discussion: "Prints one line: `facts=N presence=P seconds=S`.")

    @Option(help: "MongoDB URI (database in the path).") var uri: String
    @Option(help: "Events of history to add (a join and a leave per participant).") var count: Int
    @Option(name: .customLong("run"), help: "Tag that keeps this history apart from other loads.") var tag = "history-\(Int(Date().timeIntervalSince1970))"
    @Option(help: "Documents per insert_many.") var batch = 1000

    func run() throws {
        let facts = try DirectCollection(uri: uri, name: Catalogue.attendance.name)
        let presence = try DirectCollection(uri: uri, name: Catalogue.presence.name)
        let rules = ProjectionRules()
        let start = ContinuousClock.now
        let base = Date().addingTimeInterval(-86_400 * 30)
        var factBatch: [PreparedDocument] = [], presenceBatch: [PreparedDocument] = []
        var written = (facts: 0, presence: 0)
        func flush(force: Bool) throws {
            if factBatch.count >= batch || (force && !factBatch.isEmpty) {
                try facts.insertMany(factBatch)
                written.facts += factBatch.count
                factBatch.removeAll()
            }
            if presenceBatch.count >= batch || (force && !presenceBatch.isEmpty) {
                try presence.insertMany(presenceBatch)
                written.presence += presenceBatch.count
                presenceBatch.removeAll()
            }
        }
        for person in 0..<(count + 1) / 2 {
            let meeting = "\(87_000_000_000 + person / 50)"
            let name = "\(tag)-\(person)"
            let joined = base.addingTimeInterval(Double(person))
            let pair = [
                AttendanceFact(id: "\(name)-j", meetingID: meeting, meetingUUID: "\(tag)-\(meeting)", attendee: name, name: name,
                               kind: .join, at: BSONDate(joined), topic: "History class \(meeting)"),
                AttendanceFact(id: "\(name)-l", meetingID: meeting, meetingUUID: "\(tag)-\(meeting)", attendee: name, name: name,
                               kind: .leave, at: BSONDate(joined.addingTimeInterval(3000)), leaveReason: "left the meeting",
                               topic: "History class \(meeting)"),
            ]
            for fact in pair { factBatch.append(try PreparedDocument(encoding: fact)) }
            // The projection's own rules make the presence row, as the worker would have.
            for row in Projector.update(groupFacts: pair, instanceFacts: [], rules: rules).presence {
                presenceBatch.append(try PreparedDocument(encoding: row))
            }
            try flush(force: false)
        }
        try flush(force: true)
        let elapsed = (ContinuousClock.now - start).timeInterval
        print("facts=\(written.facts) presence=\(written.presence) seconds=\(String(format: "%.2f", elapsed))")
    }
}
