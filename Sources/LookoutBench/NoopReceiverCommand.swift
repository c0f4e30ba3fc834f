import ArgumentParser
import Foundation
import Logging
import NIOCore
import LookoutCore
import Receiver
import ServiceLifecycle
import Telemetry

/// The receiver's HTTP server and handler with a publisher that confirms at once: what HTTP and
/// the handler cost without the broker (ops/bench runs wrk against it, like the real receiver).
struct NoopReceiverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receive-noop",
        abstract: "Serve the receiver with a publisher that confirms every event at once (no broker).",
        discussion: "Reads LOOKOUT_ZOOM_SECRET_TOKEN; listens on 127.0.0.1:--port.")

    @Option(help: "HTTP port.") var port: Int
    @Option(help: "NIO event loop threads (NIO's default: one per core).") var eventLoops: Int?

    func run() async throws {
        if let eventLoops { NIOSingletons.groupLoopCountSuggestion = eventLoops }
        Telemetry.bootstrapMetrics()
        let key = ConfigurationKeys.Receive.secretToken
        let secrets = try Configuration().value(key)
        guard !secrets.isEmpty else { throw ValidationError("\(key.name) is required") }
        var settings = ReceiverSettings(secretTokens: secrets)
        settings.host = "127.0.0.1"
        settings.port = port
        settings.spoolDirectory = nil
        let logger = Telemetry.logger("receiver")
        let application = makeReceiverApplication(settings: settings, publisher: ConfirmingAtOnce(), logger: logger)
        try await ServiceGroup(services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger).run()
    }
}

/// Confirms every event at once.
private struct ConfirmingAtOnce: EventPublisher {
    func publish(_ message: EventMessage) async throws(PublishFailure) {}
    /// What the receiver's channel handler calls: answered on the event loop, no thread hop.
    func publish(_ message: EventMessage, completion: @escaping @Sendable (Result<Void, PublishFailure>) -> Void) {
        completion(.success(()))
    }
    var isConnected: Bool { true }
}
