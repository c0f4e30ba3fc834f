import LookoutCore
import ArgumentParser
import Broker
import Foundation
import Receiver
import ServiceLifecycle
import Spool

struct Receive: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Receive Zoom webhooks, verify them, and publish them to RabbitMQ.",
        discussion: """
        Answers 200 only after RabbitMQ confirmed the event or, when it did not, after the event was \
        written durably to the local spool (drained to RabbitMQ when it is back); 503 if neither \
        (Zoom retries), and \
        4xx with a JSON reason for anything that fails verification. \(keysHelp(ConfigurationKeys.Receive.keys + [ConfigurationKeys.Shared.amqpURL.info]))
        """)

    func run() async throws {
        try await reportingFailures {
            let environment = Environment()
            let (settings, options) = try environment.receiverSettings()
            let logger = Environment.logger("receiver")
            let publisher = ConfirmedPublisher(endpoints: try environment.brokerEndpoints(), topology: try environment.topology(),
                                               options: options, logger: logger)
            let spool: EventSpool?
            do {
                spool = try settings.spoolDirectory.map {
                    try EventSpool(directory: URL(fileURLWithPath: $0), maxBytes: settings.spoolMaxBytes)
                }
            } catch {
                throw Failure.configuration("\(ConfigurationKeys.Receive.spoolDirectory.name): \(error)")
            }
            let application = makeReceiverApplication(settings: settings, publisher: publisher, spool: spool, logger: logger)
            logger.info("receiving webhooks", metadata: [
                "url": "http://\(settings.host):\(settings.port)\(settings.webhookPath)",
                "secret_tokens": "\(settings.secretTokens.count)"])
            // Shutdown runs in reverse: stop taking webhooks, stop draining, then close the broker connection.
            let drain: [any Service] = spool.map { [SpoolDrain(spool: $0, publisher: publisher, logger: logger)] } ?? []
            let group = ServiceGroup(services: try environment.metricsServices(logger: logger) + [publisher] + drain + [application],
                                     gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            try await group.run()
        }
    }
}

extension Environment {
    /// What `lookout receive` reads: its settings and the publisher's confirm timeout.
    func receiverSettings() throws -> (ReceiverSettings, ConfirmedPublisher.Options) {
        try configured { () throws(ConfigurationError) in
            let settings = try ReceiverSettings(configuration: configuration)
            var options = ConfirmedPublisher.Options()
            options.confirmTimeout = try configuration.value(ConfigurationKeys.Receive.confirmTimeout)
            return (settings, options)
        }
    }
}
