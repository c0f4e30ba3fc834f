import CRabbitMQ
import Foundation
import Logging
import LookoutCore
import ServiceLifecycle
import Synchronization

/// Publishes events to the events exchange (and forwards deliveries to delay and parking queues)
/// with publisher confirms, from one dedicated thread.
///
/// Callers suspend until the broker confirmed their message. The thread publishes everything
/// queued, then reads confirms as they come (the broker acks many at once with `multiple`), so
/// concurrent requests share round trips instead of waiting one by one. Messages are published
/// `mandatory`: one that no queue would take comes back and is reported as not confirmed.
public final class ConfirmedPublisher: EventPublisher, Service, Sendable {
    public struct Options: Sendable {
        /// How long a caller waits for the confirm before it gets `.confirmTimedOut`.
        public var confirmTimeout = ConfigurationKeys.Receive.confirmTimeout.defaultValue
        public var reconnect = RetryPolicy(initial: .milliseconds(250), maximum: .seconds(5))
        public init() {}
    }

    private typealias Completion = ConfirmSession.Completion

    private struct Request {
        let message: Publication
        let completion: Completion
    }

    private struct Shared {
        var queued: [Request] = []
        var connected = false
        var stopping = false
    }

    private let endpoints: AMQPEndpoints
    private let topology: Topology
    private let options: Options
    private let logger: Logger
    private let shared = Mutex(Shared())
    private let wake = WakeSignal()

    /// `endpoints`: the nodes of one cluster, tried in turn on every (re)connect.
    public init(endpoints: AMQPEndpoints, topology: Topology, options: Options = .init(), logger: Logger) {
        self.endpoints = endpoints
        self.topology = topology
        self.options = options
        self.logger = logger
    }

    public convenience init(url: AMQPURL, topology: Topology, options: Options = .init(), logger: Logger) {
        self.init(endpoints: AMQPEndpoints(url), topology: topology, options: options, logger: logger)
    }

    public var isConnected: Bool { shared.withLock { $0.connected } }

    public func publish(_ message: EventMessage) async throws(PublishFailure) {
        try await submit(Publication(event: message, exchange: topology.layout.eventsExchange))
    }

    /// Called from the publisher thread when the confirm (or the failure) comes: the receiver's
    /// channel handler hops from here straight to its event loop, one hand-off each way.
    public func publish(_ message: EventMessage, completion: @escaping @Sendable (Result<Void, PublishFailure>) -> Void) {
        enqueue(Publication(event: message, exchange: topology.layout.eventsExchange), completion: completion)
    }

    /// Publishes a copy of a delivery (body, id, headers, plus `headers`) to `exchange` with
    /// `routingKey`, and returns once the broker confirmed it: how retries and parking move a message.
    public func forward(_ delivery: Delivery, exchange: String, routingKey: String, headers: [String: HeaderValue],
                        expiration: Duration? = nil) async throws(PublishFailure) {
        try await submit(Publication(forwarding: delivery, exchange: exchange, routingKey: routingKey,
                                     extra: headers, expiration: expiration))
    }

    private func submit(_ message: Publication) async throws(PublishFailure) {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Void, PublishFailure>, Never>) in
            enqueue(message) { continuation.resume(returning: $0) }
        }
        try result.get()
    }

    /// Queues `message` for the thread, waking it only if it may be asleep (the queue was empty).
    private func enqueue(_ message: Publication, completion: @escaping Completion) {
        let refusal = shared.withLock { shared -> (PublishFailure?, wasIdle: Bool) in
            if shared.stopping { return (.shuttingDown, false) }
            if !shared.connected { return (.notConnected, false) }
            shared.queued.append(Request(message: message, completion: completion))
            return (nil, shared.queued.count == 1)
        }
        if let failure = refusal.0 {
            completion(.failure(failure))
        } else if refusal.wasIdle {
            wake.signal()
        }
    }

    /// Runs the publishing thread until graceful shutdown; in-flight messages get their confirms first.
    public func run() async {
        await runOnDedicatedThread(name: "lookout-publisher", stop: { [self] in
            shared.withLock { $0.stopping = true }
            wake.signal()
        }) { [self] in
            threadMain()
        }
    }

    // MARK: The publishing thread

    private var isStopping: Bool { shared.withLock { $0.stopping } }

    private func threadMain() {
        let loop = ReconnectLoop(endpoints: endpoints, backoff: options.reconnect, wake: wake, isStopping: { [self] in isStopping })
        loop.run(open: { [topology] (url: AMQPURL) throws(BrokerError) -> AMQPConnection in
            let connection = try AMQPConnection(url: url)
            try topology.declare(on: connection)
            try connection.enablePublisherConfirms()
            return connection
        }, serve: { (connection: AMQPConnection, url: AMQPURL) throws(BrokerError) in
            setConnected(true)
            logger.info("publisher connected", metadata: ["broker": "\(url)"])
            var session = ConfirmSession(connection: connection, confirmTimeout: options.confirmTimeout)
            do throws(BrokerError) {
                try serve(&session)
            } catch {
                setConnected(false)
                session.failAll(.notConfirmed("broker connection lost"))
                throw error
            }
        }, ended: { end in
            switch end {
            case .unreachable(let error):
                logger.warning("publisher cannot reach the broker", metadata: ["broker": "\(endpoints)", "error": "\(error)"])
            case .lost(let error):
                logger.error("publisher lost the broker", metadata: ["error": "\(error)"])
            case .served: break
            }
            setConnected(false)
            failQueued(.notConnected)
        })
        failQueued(.shuttingDown)
    }

    private func serve(_ session: inout ConfirmSession) throws(BrokerError) {
        while true {
            let requests = shared.withLock { shared -> [Request] in
                defer { shared.queued.removeAll(keepingCapacity: true) }
                return shared.queued
            }
            // Several at once leave in full TCP segments, so the broker reads them in one go
            // instead of one small read per message.
            let corked = requests.count > 1
            if corked { session.connection.corked(true) }
            for request in requests {
                try session.publish(request.message, completion: request.completion)
            }
            if corked { session.connection.corked(false) }
            try session.readConfirms()
            if session.refused {
                throw .server(operation: "publisher confirm", message: "nack: a queue refused a message; opening a new connection")
            }
            session.expireOverdue(now: .now)
            let (queuedMore, stopping) = shared.withLock { (!$0.queued.isEmpty, $0.stopping) }
            if stopping, !queuedMore, session.isIdle { return }
            if queuedMore || session.connection.hasBufferedInput { continue }
            _ = wake.wait(socket: session.connection.socketDescriptor, timeout: session.nextWakeUp(now: .now))
        }
    }

    private func setConnected(_ connected: Bool) {
        shared.withLock { $0.connected = connected }
    }

    private func failQueued(_ failure: PublishFailure) {
        let requests = shared.withLock { shared -> [Request] in
            defer { shared.queued.removeAll() }
            return shared.queued
        }
        for request in requests { request.completion(.failure(failure)) }
    }
}
