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
            let endpoints = try environment.brokerEndpoints()
            let topology = try environment.topology()
            do {
                let url = try topology.declare(endpoints: endpoints)
                print("declared on \(url):")
                print("  exchange \(topology.layout.eventsExchange) (topic), \(topology.layout.deadLetterExchange) (direct)")
                for queue in topology.workQueues {
                    print("  queue \(queue.name) (quorum), parking queue \(topology.layout.parkingQueue(for: queue.name))")
                }
                print("  (queue \(topology.layout.notifyQueue) is declared by `lookout work notify` itself)")
            } catch let error as BrokerError {
                throw Failure.unavailable("\(error)")
            }
        }
    }
}
