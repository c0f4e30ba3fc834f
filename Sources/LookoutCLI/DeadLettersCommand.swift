import ArgumentParser
import Broker
import Foundation

struct DeadLettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq",
        abstract: "List, show, replay and purge dead-lettered (parked) messages.",
        discussion: """
        A work queue parks what a worker rejected as permanently failing and what failed too many \
        times. Fix the cause (see the worker's log for the message id), then replay.
        """,
        subcommands: [List.self, Show.self, Replay.self, Purge.self])

    struct Scope: ParsableArguments {
        @Option(help: "Only this work queue (e.g. lookout.store); all by default.")
        var queue: String?

        func parkingLot() throws -> ParkingLot {
            let environment = Environment()
            // Any node of a cluster will do: the first one is asked.
            return ParkingLot(url: try environment.brokerEndpoints().urls[0], topology: try environment.topology())
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Count parked messages and show the first ones.")
        @OptionGroup var scope: Scope
        @Option(help: "Messages shown per queue.") var limit = 10

        func run() async throws {
            try await reportingFailures {
                let lot = try scope.parkingLot()
                let counts = try await brokerCall { try await lot.counts(queue: scope.queue) }
                let messages = try await brokerCall { try await lot.peek(queue: scope.queue, limit: limit) }
                for (queue, parked) in counts {
                    print("\(queue): \(parked) parked")
                    for message in messages where message.queue == queue {
                        print("  \(message.messageID ?? "-")  \(message.routingKey)  \(message.reason ?? "?")"
                              + (message.diedAt.map { "  at \($0)" } ?? "") + (message.error.map { "  \($0)" } ?? ""))
                    }
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one parked message: headers and body.")
        @Argument(help: "The message id (idempotency key) as `dlq list` prints it.") var id: String
        @OptionGroup var scope: Scope

        func run() async throws {
            try await reportingFailures {
                let lot = try scope.parkingLot()
                let messages = try await brokerCall { try await lot.peek(queue: scope.queue, limit: 100_000) }
                guard let message = messages.first(where: { $0.messageID == id }) else {
                    throw Failure.input("no parked message with id \(id)")
                }
                print("queue:       \(message.queue)")
                print("routing key: \(message.routingKey)")
                for (key, value) in message.headers.sorted(by: { $0.key < $1.key }) { print("\(key): \(value)") }
                print("")
                print(String(decoding: message.body, as: UTF8.self))
            }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send parked messages back to their work queue.")
        @OptionGroup var scope: Scope
        @Option(help: "Only the message with this id.") var id: String?
        @Flag(help: "Replay every parked message (required without --id).") var all = false

        func validate() throws {
            guard (id != nil) != all else { throw ValidationError("give either --id ID or --all") }
        }

        func run() async throws {
            try await reportingFailures {
                let lot = try scope.parkingLot()
                let count = try await brokerCall { try await lot.replay(queue: scope.queue, messageID: id) }
                if let id, count == 0 { throw Failure.input("no parked message with id \(id)") }
                print("replayed \(count) message\(count == 1 ? "" : "s")")
            }
        }
    }

    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete parked messages for good.")
        @OptionGroup var scope: Scope
        @Flag(help: "Confirm: the messages cannot be recovered.") var yes = false

        func validate() throws {
            guard yes else { throw ValidationError("purging cannot be undone: add --yes") }
        }

        func run() async throws {
            try await reportingFailures {
                let lot = try scope.parkingLot()
                for (queue, purged) in try await brokerCall({ try await lot.purge(queue: scope.queue) }) {
                    print("\(queue): purged \(purged)")
                }
            }
        }
    }
}

/// Broker failures become one line and exit code 69.
private func brokerCall<T>(_ call: () async throws -> T) async throws -> T {
    do { return try await call() } catch let error as BrokerError { throw Failure.unavailable("\(error)") }
}
