import Broker
import Foundation
import Logging
import LookoutCore
import LookoutTestSupport
import Notifier
import NotifyWorker
import ServiceLifecycle
import Synchronization
import Testing
import ZoomWebhooks

/// The notify path on loopback: events published to the real broker, notify workers in this
/// process, and a Mattermost contract server. Each pipeline has its own queue namespace.
final class NotifyPipeline: @unchecked Sendable {
    let brokerURL: AMQPURL
    let topology: Topology
    let queue: WorkQueue
    let mattermost = MattermostContractServer()
    /// The posts' departure times, which the token bucket governs (arrivals add request latency).
    let departures = TimedWebhooks()
    let rules: NotifyRules
    private let publisher: ConfirmedPublisher
    private var groups: [(ServiceGroup, Task<Void, any Error>)] = []
    private var publisherTask: Task<Void, Never>?
    let logger: Logger = {
        var logger = Logger(label: "integration-notify")
        logger.logLevel = .warning
        return logger
    }()

    struct Settings {
        var window: Duration = .seconds(1)
        var prefetch: UInt16 = 500
        var maxNames = 10
        var retry = RetryPolicy(initial: .milliseconds(300), maximum: .seconds(2))
    }

    let settings: Settings

    /// `hooks`: name → (rate per second, burst); one route posts every meeting to all of them.
    init(hooks: [String: (rate: Double, burst: Int)], settings: Settings = Settings()) async throws {
        self.settings = settings
        brokerURL = try AMQPURL(TestEnvironment.amqpURL!)
        let layout = QueueLayout(namespace: "it-\(UUID().uuidString.prefix(8).lowercased())")
        queue = WorkQueue(name: layout.notifyQueue, bindings: NotifySettings.defaultEvents, retiredBindings: NotifySettings.defaultEvents,
                          retryDelays: settings.retry.steps, singleActiveConsumer: true)
        topology = Topology(layout: layout).owning(queue)
        try topology.declare(url: brokerURL)
        try await mattermost.start()
        var table: [String: Hook] = [:]
        for (name, pace) in hooks {
            table[name] = Hook(name: name, url: WebhookURL(mattermost.url(hook: name)), ratePerSecond: pace.rate, burst: pace.burst)
        }
        let style = NoticeStyle(localTime: LocalTime(timeZone: TimeZone(identifier: "Europe/Paris")!), maxNames: settings.maxNames)
        rules = NotifyRules(hooks: table, routes: [Route(name: "all", hooks: table.keys.sorted(), channel: "zoom-watch", style: style)],
                            unmatched: nil)
        publisher = ConfirmedPublisher(url: brokerURL, topology: topology, logger: logger)
        publisherTask = Task { [publisher] in await publisher.run() }
        try await eventually("the event publisher connects") { publisher.isConnected }
    }

    /// Starts a notify worker (consumer, retry publisher, worker) as `lookout work notify` does.
    @discardableResult
    func startWorker() -> Int {
        var consumerOptions = QueueConsumer.Options()
        consumerOptions.prefetch = settings.prefetch
        let consumer = QueueConsumer(url: brokerURL, queue: queue.name, topology: topology, options: consumerOptions, logger: logger)
        let retryPublisher = ConfirmedPublisher(url: brokerURL, topology: topology, logger: logger)
        var options = NotifyWorker.Options()
        options.outbox.window = settings.window
        options.outbox.retry = settings.retry
        let worker = NotifyWorker(source: consumer, retries: DelayQueueRetries(publisher: retryPublisher, layout: topology.layout, queue: queue),
                                  mattermost: departures,
                                  planner: NoticePlanner(rules: rules, events: queue.bindings, pseudonyms: nil),
                                  options: options, logger: logger)
        let group = ServiceGroup(services: [consumer, retryPublisher, worker], logger: logger)
        groups.append((group, Task { try await group.run() }))
        return groups.count - 1
    }

    /// `lookout work notify` as its own process, configured like `startWorker`, for a real kill -9.
    func startWorkerProcess() throws -> Process {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("lookout")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: binary.path])
        }
        let rules = FileManager.default.temporaryDirectory.appendingPathComponent("notify-rules-\(UUID().uuidString).json")
        let hooks = self.rules.hooks.values.map { #""\#($0.name)": {"url": "\#($0.url.value)", "rate_per_second": \#($0.ratePerSecond), "burst": \#($0.burst)}"# }
        try #"{"hooks": {\#(hooks.joined(separator: ", "))}, "unmatched": {"hooks": [\#(self.rules.hooks.keys.map { "\"\($0)\"" }.joined(separator: ", "))], "channel": "zoom-watch", "max_names": \#(settings.maxNames)}}"#
            .write(to: rules, atomically: true, encoding: .utf8)
        let milliseconds = { (duration: Duration) in String(duration.wholeMilliseconds) }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["work", "notify"]
        process.environment = ProcessInfo.processInfo.environment.merging([
            "LOOKOUT_AMQP_URL": TestEnvironment.amqpURL!,
            "LOOKOUT_AMQP_NAMESPACE": topology.layout.namespace,
            "LOOKOUT_NOTIFY_RULES": rules.path,
            "LOOKOUT_NOTIFY_WINDOW_MS": milliseconds(settings.window),
            "LOOKOUT_NOTIFY_PREFETCH": String(settings.prefetch),
            "LOOKOUT_NOTIFY_RETRY_INITIAL_MS": milliseconds(settings.retry.initial),
            "LOOKOUT_NOTIFY_RETRY_MAX_MS": milliseconds(settings.retry.maximum),
            "LOOKOUT_LOG_LEVEL": "warning",
        ]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// SIGTERM: the worker finishes its posts in flight and hands back the rest.
    func stopGracefully(_ index: Int) async {
        await groups[index].0.triggerGracefulShutdown()
        _ = try? await groups[index].1.value
    }

    /// As close to kill -9 as a process can do to itself: cancelled, nothing settled after.
    func kill(_ index: Int) async {
        groups[index].1.cancel()
        _ = try? await groups[index].1.value
    }

    func publish(_ body: String, routingKey: String = "meeting.participant_joined") async throws {
        try await publisher.publish(.test(Array(body.utf8), routingKey: routingKey))
    }

    /// Publishes concurrently, as a storm arrives.
    func publishAll(_ bodies: [String]) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for body in bodies { group.addTask { try await self.publish(body) } }
            try await group.waitForAll()
        }
    }

    func depth(_ queue: String) throws -> UInt32 {
        try topology.depths(url: brokerURL).first { $0.queue == queue }?.messages ?? 0
    }

    var parkingQueue: String { topology.layout.parkingQueue(for: queue.name) }

    /// Every queue of the notify path is empty: nothing waits, nothing is delayed, nothing parked.
    func drained() throws -> Bool {
        try topology.depths(url: brokerURL).filter { $0.queue.hasPrefix(queue.name) }.allSatisfy { $0.messages == 0 }
    }

    /// Takes up to `count` messages from the parking queue (and acks them).
    func parked(count: Int) async throws -> [Delivery] {
        let consumer = QueueConsumer(url: brokerURL, queue: parkingQueue, topology: topology, logger: logger)
        let run = Task { await consumer.run() }
        var deliveries: [Delivery] = []
        try await eventually("\(count) parked messages are read") {
            deliveries += await consumer.nextBatch(max: count - deliveries.count)
            return deliveries.count >= count
        }
        consumer.settle(deliveries.map { ($0.tag, .ack) })
        run.cancel()
        await run.value
        return deliveries
    }

    func shutdown() async {
        for (group, task) in groups.reversed() {
            await group.triggerGracefulShutdown()
            _ = try? await task.value
        }
        groups.removeAll()
        publisherTask?.cancel()
        await publisherTask?.value
        await mattermost.stop()
    }
}

/// The people a captured post names: "**3 joined**: A, B, C" or "**A** joined", per attachment.
func joinedNames(_ posts: [MattermostContractServer.Captured]) -> [String] {
    posts.flatMap(\.attachmentTexts).flatMap { text -> [String] in
        let unescaped = text.replacingOccurrences(of: "\\", with: "")
        if let range = unescaped.range(of: " joined**: ") { return unescaped[range.upperBound...].components(separatedBy: ", ") }
        if unescaped.hasPrefix("**"), unescaped.hasSuffix("** joined") { return [String(unescaped.dropFirst(2).dropLast(9))] }
        return []
    }
}

/// How many joins the posts account for: the counts of grouped notices, 1 for a single one.
func joinedCount(_ posts: [MattermostContractServer.Captured]) -> Int {
    posts.flatMap(\.attachmentTexts).reduce(0) { total, text in
        if text.hasPrefix("**"), let end = text.range(of: " joined**"), let count = Int(text[text.index(text.startIndex, offsetBy: 2)..<end.lowerBound]) {
            return total + count
        }
        return total + (text.hasSuffix("** joined") ? 1 : 0)
    }
}

/// Real posts over libcurl, each departure noted.
final class TimedWebhooks: MattermostWebhooks {
    private let real = CurlMattermostWebhooks(timeout: .seconds(5))
    private let sent = Mutex<[ContinuousClock.Instant]>([])

    var times: [ContinuousClock.Instant] { sent.withLock { $0 } }

    func post(_ post: MattermostPost, to hook: Hook) async -> PostOutcome {
        sent.withLock { $0.append(.now) }
        return await real.post(post, to: hook)
    }
}
