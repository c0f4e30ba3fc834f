import ArgumentParser
import Broker
import MongoStorage
import LookoutCore
import ServiceLifecycle
import StoreWorker

struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Store every event in MongoDB, exactly once in effect.",
        discussion: """
        Consumes the store queue and bulk-inserts into the `events` collection with the idempotency \
        key as _id. \(keysHelp(ConfigurationKeys.Store.limits.keys + [ConfigurationKeys.Shared.mongoURI.info, ConfigurationKeys.Shared.amqpURL.info]))
        """)

    func run() async throws {
        try await reportingFailures {
            let environment = Environment()
            let topology = try environment.topology()
            let (consumerOptions, batchSize) = try environment.workerLimits(ConfigurationKeys.Store.limits)
            var workerOptions = StoreWorker.Options()
            workerOptions.batchSize = batchSize
            let logger = Environment.logger("store")
            let consumer = QueueConsumer(endpoints: try environment.brokerEndpoints(), queue: topology.layout.storeQueue,
                                         topology: topology, options: consumerOptions, logger: logger)
            let worker = StoreWorker(source: consumer, store: MongoEventStore(database: try environment.database()),
                                     options: workerOptions, logger: logger)
            // Services stop in reverse order: the worker finishes its batch before the consumer closes.
            let group = ServiceGroup(services: try environment.metricsServices(logger: logger) + [consumer, worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            try await group.run()
        }
    }
}

