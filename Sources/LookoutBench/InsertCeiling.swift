import ArgumentParser
import Foundation
import LookoutCore
import MongoStorage

/// The store ceiling: the documents the store worker would write (same shape, size, `_id`,
/// `received_at`, `source`, same indexes), built in advance and bulk-inserted by libmongoc alone.
struct InsertCeiling: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "insert-ceiling",
        abstract: "Bulk-insert event documents into a fresh collection with the store's indexes.",
        discussion: "Prints one line: `inserted=N seconds=S rate=R` (rate in docs/s). The collection is dropped afterwards.")

    @Option(help: "MongoDB URI (database in the path).") var uri: String
    @Option(help: "Collection to create, fill and drop.") var collection = "bench_ceiling"
    @Option(help: "Documents to insert.") var count = 10_000
    @Option(help: "Documents per insert_many (the store worker's batch).") var batch = 500
    @Option(help: "Body size in bytes.") var size = 1024
    @Option(name: .customLong("run"), help: "Tag that makes documents distinct from other runs.") var tag = "ceiling-\(Int(Date().timeIntervalSince1970))"
    @Flag(help: "Keep the collection.") var keep = false

    func run() throws {
        let target = try DirectCollection(uri: uri, name: collection)
        target.drop()
        try target.createIndexes(like: Catalogue.events)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var documents: [PreparedDocument] = []
        documents.reserveCapacity(count)
        for index in 0..<count {
            let document = try PreparedDocument(json: SyntheticEvent.body(index: index, run: tag, meetings: 200, size: size))
            try document.append("_id", .string("\(tag)-\(index)"))
            try document.append("received_at", .datetime(now))
            try document.append("source", "webhook")
            documents.append(document)
        }
        let clock = ContinuousClock()
        let start = clock.now
        for offset in stride(from: 0, to: count, by: batch) {
            try target.insertMany(Array(documents[offset..<min(count, offset + batch)]))
        }
        let elapsed = (clock.now - start).timeInterval
        if !keep { target.drop() }
        print("inserted=\(count) \(throughput(count, seconds: elapsed))")
    }
}
