import Foundation
import ProjectionWorker
import Projections

/// Recomputes every projection from the stored events, through the same `ProjectionPass` the
/// worker uses. Reads the `events` collection in `_id` order, a page at a time.
public struct ProjectionRebuild: Sendable {
    let database: MongoDatabase
    let store: any ProjectionStore
    let rules: ProjectionRules

    public init(database: MongoDatabase, store: any ProjectionStore, rules: ProjectionRules) {
        self.database = database
        self.store = store
        self.rules = rules
    }

    /// What a rebuild went through.
    public struct Outcome: Sendable, Equatable {
        /// Meeting events read from the store.
        public var read = 0
        /// Of them, bodies that are not a Zoom event at all (left out, as the worker dead-letters them).
        public var unreadable = 0

        public init(read: Int = 0, unreadable: Int = 0) {
            self.read = read
            self.unreadable = unreadable
        }
    }

    /// `progress` gets the meeting events read so far after each page.
    public func run(batchSize: Int, progress: (Int) -> Void) async throws -> Outcome {
        try await store.prepare()
        try await store.reset()
        try await store.markChanged()
        // Announcements are kept: an incident announced before is not announced again.
        let pass = ProjectionPass(store: store, rules: rules, announcer: nil)
        var last: String?
        var outcome = Outcome()
        var filter: BSONDocument = ["event": .hasPrefix("meeting.")]
        while true {
            if let last { filter["_id"] = .gt(.string(last)) }
            let page = try await database.findJSON(MongoEventStore.collection, filter: filter,
                                                   options: FindOptions(sort: ["_id": 1], limit: batchSize))
            guard !page.isEmpty else { return outcome }
            var inputs: [ProjectionInput] = []
            for document in page {
                let id = try Self.key(of: document)
                last = id
                do { inputs.append(try ProjectionInput.from(body: Array(document.utf8), id: id, rules: rules)) }
                catch { outcome.unreadable += 1 }
            }
            try await pass.apply(inputs)
            outcome.read += page.count
            progress(outcome.read)
        }
    }

    private static func key(of document: String) throws(StoreError) -> String {
        struct StoredKey: Decodable {
            let id: String
            enum CodingKeys: String, CodingKey { case id = "_id" }
        }
        do { return try JSONDecoder().decode(StoredKey.self, from: Data(document.utf8)).id }
        catch { throw .invalidDocument("events: a stored event without a string _id: \(error)") }
    }
}
