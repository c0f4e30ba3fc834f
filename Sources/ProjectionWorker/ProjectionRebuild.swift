import MongoStorage
import Foundation
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

    /// Returns how many meeting events were projected.
    public func run(batchSize: Int, progress: (Int) -> Void) async throws -> Int {
        try await store.prepare()
        try await store.reset()
        try await store.markChanged()
        // Announcements are kept: an incident announced before is not announced again.
        let pass = ProjectionPass(store: store, rules: rules, announcer: nil)
        var last: String?
        var done = 0
        while true {
            let after = last.map { #", "_id": {"$gt": \#(ExtendedJSON.string($0))}"# } ?? ""
            let page = try await database.find(MongoEventStore.collection,
                                               filter: #"{"event": {"$regex": "^meeting\\."}\#(after)}"#,
                                               options: #"{"sort": {"_id": 1}, "limit": \#(batchSize)}"#)
            guard !page.isEmpty else { return done }
            var inputs: [ProjectionInput] = []
            for document in page {
                let id = try (ExtendedJSON.decode(document) as StoredKey).id
                last = id
                if let input = try? ProjectionInput.from(body: Array(document.utf8), id: id, rules: rules) { inputs.append(input) }
            }
            try await pass.apply(inputs)
            done += page.count
            progress(done)
        }
    }

    private struct StoredKey: Decodable {
        let id: String
        enum CodingKeys: String, CodingKey { case id = "_id" }
    }
}
