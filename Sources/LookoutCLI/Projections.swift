import ArgumentParser
import MongoStorage
import Foundation
import LookoutCore
import ProjectionWorker
import Exports
import Projections

struct ProjectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projections",
        abstract: "Rebuild projections from stored events, or write the exports once.",
        subcommands: [Rebuild.self, Export.self])

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute every projection from the `events` collection (after a rule change or a fix).",
            discussion: "Stop the project workers first. Incidents already announced are not announced again.")

        @Option(help: "Events read and projected per batch.")
        var batch = 1000

        func run() async throws {
            try await reportingFailures {
                let environment = Environment()
                let rules = try environment.projectionRules()
                let database = try environment.database()
                let rebuild = ProjectionRebuild(database: database, store: MongoProjectionStore(database: database), rules: rules)
                do {
                    let outcome = try await rebuild.run(batchSize: batch) { done in
                        print("projected \(done) events")
                    }
                    print("rebuilt projections from \(outcome.read) meeting events"
                          + (outcome.unreadable > 0 ? " (\(outcome.unreadable) not Zoom events, left out)" : ""))
                } catch {
                    throw Failure.unavailable("\(error)")
                }
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the export files once from the current projections.")

        func run() async throws {
            try await reportingFailures {
                let environment = Environment()
                let settings = try environment.configured { () throws(ConfigurationError) in
                    try ExportSettings(configuration: environment.configuration)
                }
                let store = MongoProjectionStore(database: try environment.database())
                let rules = try environment.projectionRules()
                let snapshot: ProjectionSnapshot
                do { snapshot = try await store.snapshot() } catch { throw Failure.unavailable("\(error)") }
                for url in try ExportWriter.write(snapshot, settings: settings, rules: rules) { print("wrote \(url.path)") }
            }
        }
    }
}
