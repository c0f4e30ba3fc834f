import ArgumentParser
import Broker

struct TopologyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topology",
        abstract: "Declare Lookout's exchanges and queues in RabbitMQ, and show their depths.",
        discussion: "Idempotent. Every Lookout process also declares them when it connects.")

    func run() async throws {
        try await reportingFailures {
            let environment = Environment()
            let url = try environment.brokerURL()
            let topology = try environment.topology()
            do {
                try topology.declare(url: url)
                print("declared on \(url):")
                print("  exchange \(topology.layout.eventsExchange) (topic), \(topology.layout.deadLetterExchange) (direct)")
                for (queue, messages) in try topology.depths(url: url) {
                    print("  queue \(queue): \(messages) ready")
                }
                // The notifier declares its own queue; it exists once a notifier has run.
                let notify = topology.layout.notifyQueue
                for queue in [notify, topology.layout.parkingQueue(for: notify)] {
                    let messages = try topology.depthIfDeclared(queue, url: url)
                    print("  queue \(queue): \(messages.map { "\($0) ready" } ?? "not declared (no notifier has run)")")
                }
            } catch let error as BrokerError {
                throw Failure.unavailable("\(error)")
            }
        }
    }
}
