import ArgumentParser
import Dashboard
import LookoutCore
import MongoStorage
import ProjectionWorker
import Exports
import Projections
import ServiceLifecycle

struct Web: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the live dashboard, its JSON API and the exports over HTTP.",
        discussion: """
        Reads the projections the project workers keep in MongoDB and pushes changes to open pages \
        (Server-Sent Events). Public pages show names as the exports do — pseudonyms, or none at all, \
        unless LOOKOUT_EXPORT_PSEUDONYMIZE=false; /full/ shows every name to holders of LOOKOUT_WEB_TOKEN. \
        \(keysHelp(ConfigurationKeys.Web.keys + [ConfigurationKeys.Shared.timeZone.info, ConfigurationKeys.Export.allowedNames.info, ConfigurationKeys.Export.pseudonymize.info, ConfigurationKeys.Shared.pseudonymKey.info, ConfigurationKeys.Export.meetingID.info, ConfigurationKeys.Project.rules.info, ConfigurationKeys.Shared.mongoURI.info]))
        """)

    func run() async throws {
        try await reportingFailures {
            let environment = Environment()
            let rules = try environment.projectionRules()
            let settings = try environment.dashboardSettings(rules: rules)
            let logger = Environment.logger("web")
            let source = MirroredDashboardSource(store: MongoProjectionStore(database: try environment.database()),
                                              overlap: settings.exports.changeOverlap,
                                              fullReadInterval: settings.exports.fullReadInterval)
            let feed = ProjectionFeed(source: source, interval: settings.pollInterval, logger: logger)
            let application = makeDashboardApplication(settings: settings, feed: feed, logger: logger)
            logger.info("serving the dashboard", metadata: [
                "url": "http://\(settings.host):\(settings.port)/",
                "full_view": "\(settings.tokens.isEmpty ? "off" : "/full/")",
                "public_names": "\(settings.publicNames)", "time_zone": "\(settings.exports.timeZone.identifier)"])
            // Reverse order on shutdown: the server closes its live streams first, then the feed stops.
            let group = ServiceGroup(services: try environment.metricsServices(logger: logger) + [feed, application],
                                     gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            try await group.run()
        }
    }
}

extension Environment {
    /// The dashboard's own keys and the export keys it shares with the projection workers.
    func dashboardSettings(rules: ProjectionRules) throws -> DashboardSettings {
        try configured { () throws(ConfigurationError) in
            try DashboardSettings(configuration: configuration, exports: try ExportSettings(configuration: configuration), rules: rules)
        }
    }
}
