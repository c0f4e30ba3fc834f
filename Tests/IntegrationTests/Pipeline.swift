import Testing
import Broker
import Dashboard
import MongoStorage
import Foundation
import Hummingbird
import Logging
import LookoutCore
import LookoutTestSupport
import CurlHTTP
import ProjectionWorker
import Exports
import Projections
import Receiver
import ServiceLifecycle
import Spool
import StoreWorker
import ZoomWebhooks

/// The real ingest path on loopback: receiver and store worker in this process, the real broker,
/// and a MongoDB-wire server of the test's own. Each pipeline has its own queue namespace.
final class Pipeline: @unchecked Sendable {
    static let secret = "integration-test-secret"

    let brokerURL: AMQPURL
    let topology: Topology
    let mongo: MongoWireServer
    let database: MongoDatabase
    /// The port of the receiver started last. Each start takes a fresh one: a port released by a
    /// stopped receiver may already be some client connection's ephemeral port.
    private(set) var httpPort = 0
    private var groups: [(ServiceGroup, Task<Void, any Error>)] = []
    private let logger: Logger = {
        var logger = Logger(label: "integration")
        logger.logLevel = .warning
        return logger
    }()

    init() async throws {
        brokerURL = try AMQPURL(TestEnvironment.amqpURL!)
        topology = Topology(layout: QueueLayout(namespace: "it-\(UUID().uuidString.prefix(8).lowercased())"))
        try topology.declare(url: brokerURL)
        mongo = try MongoWireServer()
        try await mongo.start()
        database = try MongoDatabase(uri: mongo.uri)
    }

    var webhookURL: String { "http://127.0.0.1:\(httpPort)/zoom/webhook" }

    /// The receiver; with `spool`, events the broker does not confirm are kept there and drained
    /// later; `brokerURL` lets a test point it at a broker that is not there.
    @discardableResult
    func startReceiver(spool: EventSpool? = nil, brokerURL: AMQPURL? = nil) async throws -> Int {
        var settings = ReceiverSettings(secretTokens: [Self.secret])
        settings.host = "127.0.0.1"
        httpPort = freePort()
        settings.port = httpPort
        let publisher = ConfirmedPublisher(url: brokerURL ?? self.brokerURL, topology: topology, logger: logger)
        let drain: [any Service] = spool.map { [SpoolDrain(spool: $0, publisher: publisher, logger: logger, idle: .milliseconds(100))] } ?? []
        let index = run([publisher] + drain + [makeReceiverApplication(settings: settings, publisher: publisher, spool: spool, logger: logger)])
        try await eventually("the receiver is ready") {
            try await CurlTransport().send(OutboundRequest(url: "http://127.0.0.1:\(httpPort)/ready", method: "GET")).status == 200
        }
        return index
    }

    @discardableResult
    func startStoreWorker() -> Int {
        let consumer = QueueConsumer(url: brokerURL, queue: topology.layout.storeQueue, topology: topology, logger: logger)
        var options = StoreWorker.Options()
        options.retry = RetryPolicy(initial: .milliseconds(100), maximum: .seconds(1))
        return run([consumer, StoreWorker(source: consumer, store: MongoEventStore(database: database), options: options, logger: logger)])
    }

    /// A projection worker replica; several may share the queue.
    @discardableResult
    func startProjectWorker(database: MongoDatabase? = nil, prefetch: UInt16 = 500, batchSize: Int = 500,
                            exports: ExportSettings? = nil) -> Int {
        var consumerOptions = QueueConsumer.Options()
        consumerOptions.prefetch = prefetch
        let consumer = QueueConsumer(url: brokerURL, queue: topology.layout.projectQueue, topology: topology,
                                     options: consumerOptions, logger: logger)
        let publisher = ConfirmedPublisher(url: brokerURL, topology: topology, logger: logger)
        let store = MongoProjectionStore(database: database ?? self.database)
        let writer = exports.map { ExportWriter(store: store, settings: $0, rules: ProjectionRules(), logger: logger) }
        var options = ProjectionWorker.Options()
        options.batchSize = batchSize
        options.retry = RetryPolicy(initial: .milliseconds(100), maximum: .seconds(1))
        let worker = ProjectionWorker(source: consumer, store: store, rules: ProjectionRules(),
                                      announcer: PublishingIncidentAnnouncer(publisher: publisher), exports: writer,
                                      options: options, logger: logger)
        return run([publisher, consumer] + (writer.map { [$0] } ?? []) + [worker])
    }

    /// `lookout web` on its own port, reading this pipeline's projections; returns its base URL and group.
    func startWeb(_ configure: (inout DashboardSettings) -> Void = { _ in }) async throws -> (url: String, group: Int) {
        var settings = DashboardSettings(exports: ExportSettings(directory: mongo.dataDirectory), rules: ProjectionRules())
        settings.host = "127.0.0.1"
        settings.port = freePort()
        settings.pollInterval = .milliseconds(200)
        configure(&settings)
        let source = MirroredDashboardSource(store: MongoProjectionStore(database: database))
        let feed = ProjectionFeed(source: source, interval: settings.pollInterval, logger: logger)
        let group = run([feed, makeDashboardApplication(settings: settings, feed: feed, logger: logger)])
        let url = "http://127.0.0.1:\(settings.port)"
        try await eventually("the dashboard answers") {
            try await CurlTransport().send(OutboundRequest(url: url + "/health", method: "GET")).status == 200
        }
        return (url, group)
    }

    /// Publishes bodies straight to the exchange, as the receiver would, in the given order.
    func publish(_ bodies: [[UInt8]]) async throws {
        let publisher = ConfirmedPublisher(url: brokerURL, topology: topology, logger: logger)
        let task = Task { await publisher.run() }
        defer { task.cancel() }
        try await eventually("the publisher connects") { publisher.isConnected }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for body in bodies {
                let event = try WebhookEnvelope.decode(Data(body)).event
                group.addTask {
                    try await publisher.publish(.test(body, routingKey: event, source: .replay))
                }
            }
            try await group.waitForAll()
        }
        task.cancel()
        await task.value
    }

    @discardableResult
    private func run(_ services: [any Service]) -> Int {
        let group = ServiceGroup(services: services, logger: logger)
        groups.append((group, Task { try await group.run() }))
        return groups.count - 1
    }

    /// Graceful shutdown of one started group, as SIGTERM would do.
    func stop(_ index: Int) async {
        await groups[index].0.triggerGracefulShutdown()
        _ = try? await groups[index].1.value
    }

    /// Posts a body signed like Zoom signs it (or with another secret) and returns the status.
    func post(_ body: String, secret: String = secret) async throws -> Int {
        let timestamp = String(Int(Date().timeIntervalSince1970))
        let bytes = Array(body.utf8)
        let response = try await CurlTransport().send(OutboundRequest(url: webhookURL, headers: [
            ("content-type", "application/json"),
            ("x-zm-request-timestamp", timestamp),
            ("x-zm-signature", WebhookSigner(secretToken: secret).signature(timestamp: timestamp, body: bytes)),
        ], body: bytes))
        return response.status
    }

    /// Every `meeting.*` event name.
    static let meetingEventNames: BSON = .hasPrefix("meeting.")

    func storedCount(_ filter: BSONDocument = [:]) async throws -> Int {
        try await database.count(MongoEventStore.collection, filter: filter)
    }

    func queueDepth(_ queue: String) throws -> UInt32 {
        try topology.depths(url: brokerURL).first { $0.queue == queue }?.messages ?? 0
    }

    func shutdown() async {
        for (group, task) in groups.reversed() {
            await group.triggerGracefulShutdown()
            _ = try? await task.value
        }
        groups.removeAll()
        mongo.stop()
    }
}

/// A participant_joined body, distinct per `name`, as the text `post` and `publish` take
/// (LookoutTestSupport's recorded-shape join, in the recorded meeting unless told otherwise).
func joinedEvent(_ name: String, meeting: String = ZoomBodies.recordedMeeting) -> String {
    ZoomBodies.text(ZoomBodies.joined(name, meeting: meeting, topic: "Biology 101"))
}

/// Runs `body` on a fresh pipeline that is shut down however the body ends, so a failed test does
/// not leave workers and servers running behind it, slowing down or confusing the next ones.
func withPipeline(_ body: (Pipeline) async throws -> Void) async throws {
    let pipeline = try await Pipeline()
    do {
        try await body(pipeline)
    } catch {
        await pipeline.shutdown()
        throw error
    }
    await pipeline.shutdown()
}
