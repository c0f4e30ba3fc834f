import ArgumentParser
import MongoStorage
import Foundation
import LookoutCore
import CurlHTTP
import ProjectionWorker
import Exports
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
            Only rows that are new or changed since Zoho last accepted them are sent. \
            \(keysHelp(ConfigurationKeys.Zoho.keys + [ConfigurationKeys.Export.allowedNames.info, ConfigurationKeys.Export.pseudonymize.info, ConfigurationKeys.Shared.pseudonymKey.info, ConfigurationKeys.Project.rules.info, ConfigurationKeys.Shared.mongoURI.info])) See docs/backfill.md.
            """)

        @Option(help: "Keep running and upload every this many seconds (0: once). Each upload costs API units: see docs/backfill.md.")
        var every = 0

        @Flag(help: "Send every row again, whatever Zoho accepted before (after the table was emptied or edited in Zoho).")
        var full = false

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
                let transport = CurlTransport()
                // One token cache for the whole run: a refresh-token grant mints an access token an
                // hour, not one per turn (Zoho limits how many a refresh token may mint).
                var tokens: (authorization: ZohoAuthorization, cache: ZohoAccessTokens)?
                var resend = full
                while true {
                    // Read each turn: a token file refreshed by another process, or rotated
                    // credentials, take effect.
                    let settings = try environment.configured { () throws(ConfigurationError) in
                        try ZohoSettings(configuration: environment.configuration)
                    }
                    if tokens?.authorization != settings.authorization {
                        tokens = (settings.authorization, ZohoAccessTokens(settings.authorization, transport: transport))
                    }
                    do {
                        let uploader = ZohoUploader(settings: settings, tokens: tokens!.cache, transport: transport,
                                                    ledger: try await MongoZohoLedger(database: database),
                                                    logger: Environment.logger("zoho"))
                        let snapshot = try await store.snapshot()
                        for job in ZohoImport.jobs(snapshot, settings: settings, privacy: exports.privacy,
                                                   windowSeconds: rules.collectiveWindowSeconds) {
                            let outcome = try await uploader.upload(job, full: resend)
                            print("\(job.table): \(outcome)")
                        }
                        resend = false
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
