import ArgumentParser
import Broker
import MongoStorage
import Reconciliation

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each queue's backlog, consumers and dead letters.",
        discussion: """
        Also counts the meeting instances reconciled with Zoom's record (docs/reconciliation.md), when \
        MongoDB answers. Exit code 0 when every queue has a consumer and nothing is parked, 1 otherwise \
        (usable in checks).
        """)

    func run() async throws {
        try await reportingFailures {
            let environment = Environment()
            let endpoints = try environment.brokerEndpoints()
            let statuses: [Broker.Topology.QueueStatus]
            do { statuses = try environment.topology().status(endpoints: endpoints) } catch let error as BrokerError {
                throw Failure.unavailable("\(error)")
            }
            let width = max(5, statuses.map(\.queue.count).max() ?? 0)
            print("queue".padding(toLength: width, withPad: " ", startingAt: 0) + "   ready  consumers  parked")
            for status in statuses {
                print(status.queue.padding(toLength: width, withPad: " ", startingAt: 0)
                      + String(format: " %7u %10u %7u", status.messages, status.consumers, status.parked))
            }
            if let store = try? MongoReconcileStore(database: environment.database()), let summary = try? await store.summary() {
                print("\nmeeting instances reconciled with Zoom's record: \(summary.reconciled) (\(summary.repaired) repaired), "
                      + "ended and not yet reconciled: \(summary.pending)")
            }
            let healthy = statuses.allSatisfy { $0.consumers > 0 && $0.parked == 0 }
            if !healthy { throw ExitCode(1) }
        }
    }
}
