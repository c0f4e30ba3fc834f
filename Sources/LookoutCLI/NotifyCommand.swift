import ArgumentParser
import Broker
import LookoutCore
import Notifier
import NotifyWorker
import ServiceLifecycle

struct NotifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Post Zoom events to Mattermost as rich notices: routed, coalesced, rate-limited.",
        discussion: """
        Consumes the notify queue (declared by this command: bound to LOOKOUT_NOTIFY_EVENTS, with \
        delay queues for retries; one replica is active at a time, the others stand by) and posts \
        to the Mattermost incoming webhooks named in the rules file. A notice is acked only after \
        Mattermost answered 200, or after its retry or parked copy was confirmed by RabbitMQ. \
        \(keysHelp(ConfigurationKeys.Notify.keys + [ConfigurationKeys.Shared.timeZone.info, ConfigurationKeys.Shared.pseudonymKey.info, ConfigurationKeys.Shared.amqpURL.info, ConfigurationKeys.Shared.metricsPort.info]))
        """)

    @Flag(help: "Check the configuration and the rules file, print the routes, and exit.")
    var check = false

    func run() async throws {
        try await reportingFailures {
            let environment = Environment()
            let settings = try environment.configured { () throws(ConfigurationError) in
                try NotifySettings(configuration: environment.configuration)
            }
            if check {
                print(summary(settings))
                return
            }
            let base = try environment.topology()
            let queue = settings.workQueue(in: base.layout)
            let topology = base.owning(queue)
            let endpoints = try environment.brokerEndpoints()
            let logger = Environment.logger("notify")
            var consumerOptions = QueueConsumer.Options()
            consumerOptions.prefetch = UInt16(settings.prefetch)
            let consumer = QueueConsumer(endpoints: endpoints, queue: queue.name, topology: topology, options: consumerOptions, logger: logger)
            let publisher = ConfirmedPublisher(endpoints: endpoints, topology: topology, logger: logger)
            let worker = NotifyWorker(source: consumer,
                                      retries: DelayQueueRetries(publisher: publisher, layout: topology.layout, queue: queue),
                                      mattermost: CurlMattermostWebhooks(timeout: settings.requestTimeout),
                                      planner: settings.planner, options: settings.worker, logger: logger)
            // Services stop in reverse order: the worker settles what it holds while the
            // publisher (for retries) and the consumer (for acks) are still up.
            let group = ServiceGroup(services: try environment.metricsServices(logger: logger) + [consumer, publisher, worker],
                                     gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            try await group.run()
        }
    }

    private func summary(_ settings: NotifySettings) -> String {
        let rules = settings.rules
        var lines = ["rules OK: \(rules.hooks.count) hooks, \(rules.routes.count) routes; events: \(settings.events.joined(separator: ", "))"]
        for hook in rules.hooks.values.sorted(by: { $0.name < $1.name }) {
            lines.append("  hook \(hook.name): \(hook.url), \(hook.ratePerSecond)/s, burst \(hook.burst)")
        }
        for route in rules.routes + [rules.unmatched].compactMap({ $0 }) {
            let channel = route.channel.map { " → channel \($0)" } ?? ""
            lines.append("  route \(route.name): hooks \(route.hooks.joined(separator: ", "))\(channel), privacy \(route.privacy.summary)")
        }
        if rules.unmatched == nil { lines.append("  events matching no route are dropped") }
        return lines.joined(separator: "\n")
    }
}

private extension Privacy {
    var summary: String {
        switch self {
        case .everyone: "everyone"
        case .only(let people): "only \(people.count) listed"
        case .pseudonymized: "pseudonymized"
        }
    }
}
