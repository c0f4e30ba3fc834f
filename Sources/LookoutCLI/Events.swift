import ArgumentParser
import MongoStorage
import Foundation
import LookoutCore

struct Events: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the most recently stored events from MongoDB.")

    @Option(help: "How many events to show.")
    var limit = 10

    @Option(help: "Only events with this name, e.g. meeting.participant_joined.")
    var event: String?

    @Flag(help: "Print whole documents instead of one summary line each.")
    var json = false

    func validate() throws {
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be in 1...10000") }
    }

    func run() async throws {
        try await reportingFailures {
            let database = try Environment().database()
            let filter: BSONDocument = event.map { ["event": .string($0)] } ?? [:]
            do {
                let total = try await database.count(MongoEventStore.collection, filter: filter)
                let documents = try await database.findJSON(MongoEventStore.collection, filter: filter,
                                                            options: FindOptions(sort: ["received_at": -1, "_id": 1], limit: limit))
                print("\(total) events stored in \(database.name).\(MongoEventStore.collection); latest \(documents.count):")
                for document in documents { print(json ? document : StoredEventLine.summary(of: document)) }
            } catch {
                throw Failure.unavailable("\(error)")
            }
        }
    }
}

/// One readable line per stored event: when, what, who.
enum StoredEventLine {
    static func summary(of document: String) -> String {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(document.utf8))) as? [String: Any] else { return document }
        let received = ((object["received_at"] as? [String: Any])?["$date"] as? String) ?? "?"
        let event = object["event"] as? String ?? "?"
        let payload = (object["payload"] as? [String: Any])?["object"] as? [String: Any]
        let topic = payload?["topic"] as? String ?? ""
        let participant = (payload?["participant"] as? [String: Any])?["user_name"] as? String
        let who = participant.map { " — \($0)" } ?? ""
        return "\(received)  \(event)  \(topic)\(who)  [\(object["source"] as? String ?? "?")]"
    }
}
