import ArgumentParser
import Broker
import MongoStorage
import Foundation
import LookoutCore
import ProjectionWorker
import Exports
import Projections
import ServiceLifecycle

struct ProjectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project",
        abstract: "Keep presence, sessions, disconnections, incidents and exports up to date.",
        discussion: """
        Consumes the project queue (every meeting.* event), updates the projections in MongoDB \
        incrementally, announces collective disconnections, and rewrites the exports. \
        \(keysHelp(ConfigurationKeys.Project.keys + ConfigurationKeys.Export.keys + [ConfigurationKeys.Shared.timeZone.info, ConfigurationKeys.Shared.pseudonymKey.info, ConfigurationKeys.Shared.mongoURI.info, ConfigurationKeys.Shared.amqpURL.info]))
        """)

    func run() async throws {
        try await reportingFailures {
            let environment = Environment()
            let topology = try environment.topology()
            let rules = try environment.projectionRules()
            let exportSettings = try environment.configured { () throws(ConfigurationError) in
                try ExportSettings(configuration: environment.configuration)
            }
            let (consumerOptions, batchSize) = try environment.workerLimits(ConfigurationKeys.Project.limits)
            var workerOptions = ProjectionWorker.Options()
            workerOptions.batchSize = batchSize
            let logger = Environment.logger("project")
            let endpoints = try environment.brokerEndpoints()
            let store = MongoProjectionStore(database: try environment.database())
            let consumer = QueueConsumer(endpoints: endpoints, queue: topology.layout.projectQueue, topology: topology,
                                         options: consumerOptions, logger: logger)
            let publisher = ConfirmedPublisher(endpoints: endpoints, topology: topology, logger: logger)
            let exports = ExportWriter(store: store, settings: exportSettings, rules: rules, logger: logger)
            let worker = ProjectionWorker(source: consumer, store: store, rules: rules,
                                          announcer: PublishingIncidentAnnouncer(publisher: publisher), exports: exports,
                                          options: workerOptions, logger: logger)
            // Reverse order on shutdown: the worker finishes its batch, then exports, consumer and publisher stop.
            let group = ServiceGroup(services: try environment.metricsServices(logger: logger) + [publisher, consumer, exports, worker],
                                     gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            try await group.run()
        }
    }
}

extension Environment {
    /// The rules file named by LOOKOUT_PROJECTION_RULES, or the documented defaults.
    /// `path` (a `--rules` option) overrides the key; a bad file named on the command line is bad input.
    func projectionRules(path option: String? = nil) throws -> ProjectionRules {
        let key = ConfigurationKeys.Project.rules
        let source = option == nil ? key.name : "--rules"
        guard let path = try option ?? configured({ () throws(ConfigurationError) in try configuration.value(key) }) else {
            return ProjectionRules()
        }
        func failure(_ why: String) -> Failure { option == nil ? .configuration(why) : .input(why) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw failure("\(source): cannot read \(path)")
        }
        do {
            return try JSONDecoder().decode(ProjectionRules.self, from: data)
        } catch {
            throw failure("\(source) (\(path)): \(RulesError.describe(error))")
        }
    }
}

enum RulesError {
    /// Names the field at fault, e.g. `meetings.topic_patterns: not a regular expression: (`.
    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context), DecodingError.typeMismatch(_, let context),
             DecodingError.valueNotFound(_, let context), DecodingError.keyNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return (path.isEmpty ? "" : path + ": ") + context.debugDescription
        default:
            return "\(error)"
        }
    }
}
