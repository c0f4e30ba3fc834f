import ArgumentParser
import EventStore
import Foundation
import LookoutCore
import OutboundHTTP
import ProjectionWorker
import Projections
import ZohoAnalytics

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Send the projections to an outside system.",
        subcommands: [Zoho.self])

    struct Zoho: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Upload the disconnection and incident CSVs to Zoho Analytics (import API, updateadd).",
            discussion: """
            A table whose CSV is unchanged since Zoho last accepted it is not sent again. Keys: \
            LOOKOUT_ZOHO_API_URL, LOOKOUT_ZOHO_WORKSPACE_ID, LOOKOUT_ZOHO_DISCONNECTIONS_VIEW_ID, \
            LOOKOUT_ZOHO_INCIDENTS_VIEW_ID, LOOKOUT_ZOHO_ORG_ID, LOOKOUT_ZOHO_TOKEN(_FILE), the \
            LOOKOUT_EXPORT_* privacy keys, LOOKOUT_PROJECTION_RULES, LOOKOUT_MONGO_URI. See docs/backfill.md.
            """)

        @Option(help: "Keep running and upload every this many seconds (0: once).")
        var every = 0

        func validate() throws {
            guard every >= 0 else { throw ValidationError("--every must not be negative") }
        }

        func run() async throws {
            try await reportingFailures {
                let environment = Environment()
                let exports = try environment.configured { () throws(ConfigurationError) in
                    try ExportSettings(configuration: environment.configuration)
                }
                let rules = try environment.projectionRules()
                let database = try environment.database()
                let store = MongoProjectionStore(database: database)
                while true {
                    // Read each turn: a token file refreshed by another process takes effect.
                    let settings = try environment.configured { () throws(ConfigurationError) in
                        try ZohoSettings(configuration: environment.configuration)
                    }
                    let uploader = ZohoUploader(settings: settings, transport: CurlTransport(), database: database,
                                                logger: Environment.logger("zoho"))
                    do {
                        let snapshot = try await store.snapshot()
                        for job in ZohoImport.jobs(snapshot, settings: settings, privacy: exports.privacy,
                                                   windowSeconds: rules.collectiveWindowSeconds) {
                            let outcome = try await uploader.upload(job)
                            print("\(job.table): \(outcome)")
                        }
                    } catch {
                        if every == 0 { throw Failure.unavailable("\(error)") }
                        FileHandle.standardError.write(Data("lookout: zoho upload failed, next try in \(every) s: \(error)\n".utf8))
                    }
                    guard every > 0 else { return }
                    try await Task.sleep(for: .seconds(every))
                }
            }
        }
    }
}
