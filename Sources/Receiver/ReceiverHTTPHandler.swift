import Foundation
import Logging
import LookoutCore
import NIOCore
import NIOHTTP1
import ZoomWebhooks

/// The receiver's routes as one NIO channel handler: every request is read, checked and answered
/// on the event loop that read it, and an accepted event makes one hop to the publisher thread
/// and one back (its confirm completes the answer here, see `EventPublisher.publish(_:completion:)`).
///
/// Hummingbird ran each connection as a Swift task fed through an async sequence, the body as a
/// second one, a reader task for the body timeout and the handler's continuation on the confirm:
/// four to five thread hand-offs per request, ~65–100 µs of the receiver's ~110–150 µs per
/// request, against ~15 µs for all the checks (docs/benchmarks.md, issue 16).
final class ReceiverHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        /// Between requests.
        case idle
        /// Reading a webhook's body (`webhook`, `body`).
        case readingBody
        /// `/health`, `/ready` or an unknown route, answered when the request ends.
        case route(ReceiverAnswer)
        /// The whole request is in; the broker (or the spool) has the event, the answer is pending.
        case publishing
        /// Answered before the request ended (refused from its head): the rest is dropped, up to the cap.
        case discarding(dropped: Int)
        /// No longer reading: the answer is out, the connection closes (at the latest when idle).
        case closing
    }

    /// A webhook whose head passed the checks, while its body comes in.
    private struct Webhook {
        let head: WebhookHead
        let age: WebhookVerifier.TimestampAge
        let receivedAt: Date
        /// The body timeout runs from the head.
        let deadline: NIODeadline
    }

    /// What follows an answer.
    private enum AfterAnswer {
        case keepOpen
        case close
        /// Stop sending (FIN) but not reading: closing with unread bytes would reset the connection,
        /// and the client could lose the answer. The idle timeout (or the client) ends it.
        case closeOutput
    }

    private let intake: WebhookIntake
    private let publisher: any EventPublisher
    private let routes: ReceiverRoutes
    private let logger: Logger

    private var context: ChannelHandlerContext?
    private var state = State.idle
    private var webhook: Webhook?
    /// Kept apart from `state` so appending to it does not copy it (an enum payload is a second reference).
    private var body: ByteBuffer?
    private var bodyTimer: Scheduled<Void>?
    /// Tells a late confirm or timer from another request's.
    private var generation: UInt64 = 0
    private var keepAlive = true
    private var version = HTTPVersion.http1_1
    /// A HEAD request's answer has the head only (a body would be read as the next response).
    private var isHead = false
    /// Quiescing or the client half-closed: close once the request in hand is answered.
    private var closeRequested = false

    init(intake: WebhookIntake, publisher: any EventPublisher, routes: ReceiverRoutes, logger: Logger) {
        self.intake = intake
        self.publisher = publisher
        self.routes = routes
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        bodyTimer?.cancel()
        bodyTimer = nil
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): received(head, context: context)
        case .body(let chunk): received(chunk, context: context)
        case .end: ended(context: context)
        }
    }

    /// The body timer is set only for a body not complete in the read that brought its head:
    /// a 1 KB webhook arrives whole in one read, and then costs no timer at all.
    func channelReadComplete(context: ChannelHandlerContext) {
        if case .readingBody = state, bodyTimer == nil, let webhook {
            let generation = self.generation
            bodyTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: webhook.deadline) { [self] in
                bodyTimedOut(generation: generation, context: context)
            }
        }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is ChannelShouldQuiesceEvent:
            closeWhenAnswered(context: context)
        case let event as ChannelEvent where event == .inputClosed:
            closeWhenAnswered(context: context)
        case let idle as IdleStateHandler.IdleStateEvent where idle == .read:
            // Nothing read for the idle timeout: an idle keep-alive connection, headers that never
            // end, or one that was answered and is no longer read. Not one waiting for its confirm.
            if case .publishing = state { break }
            context.close(promise: nil)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Shutting down, or the client sent all it will: close now, or after the answer in hand.
    private func closeWhenAnswered(context: ChannelHandlerContext) {
        closeRequested = true
        if case .publishing = state { return }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        bodyTimer?.cancel()
        bodyTimer = nil
        state = .closing
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("receiver connection error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    // MARK: Request parts

    private func received(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard case .idle = state else { return }
        generation &+= 1
        keepAlive = head.isKeepAlive
        version = head.version
        isHead = head.method == .HEAD
        switch routes.route(method: head.method, uri: head.uri) {
        case .webhook:
            let webhookHead = WebhookHead(head.headers)
            let receivedAt = intake.now()
            do throws(WebhookRejection) {
                let age = try intake.checkHead(webhookHead, receivedAt: receivedAt)
                webhook = Webhook(head: webhookHead, age: age, receivedAt: receivedAt,
                                  deadline: .now() + TimeAmount(intake.settings.bodyTimeout))
                state = .readingBody
            } catch {
                refuse(error, requestID: webhookHead.requestID, context: context)
            }
        case .health:
            state = .route(intake.health())
        case .ready:
            state = .route(intake.readiness(brokerConnected: publisher.isConnected))
        case .methodNotAllowed:
            state = .route(ReceiverAnswer(Outcome(status: "method_not_allowed"), status: 405))
        case .notFound:
            state = .route(ReceiverAnswer(Outcome(status: "not_found"), status: 404))
        }
    }

    private func received(_ chunk: ByteBuffer, context: ChannelHandlerContext) {
        let limit = intake.settings.maxBodyBytes
        switch state {
        case .readingBody:
            if (body?.readableBytes ?? 0) + chunk.readableBytes > limit {
                refuse(.bodyTooLarge(limit: limit), requestID: webhook?.head.requestID, context: context)
            } else if body == nil {
                body = chunk
            } else {
                var chunk = chunk
                body!.writeBuffer(&chunk)
            }
        case .discarding(let dropped):
            if dropped + chunk.readableBytes > limit {
                stopReading(context: context)
            } else {
                state = .discarding(dropped: dropped + chunk.readableBytes)
            }
        case .idle, .route, .publishing, .closing:
            break
        }
    }

    private func ended(context: ChannelHandlerContext) {
        switch state {
        case .readingBody:
            bodyTimer?.cancel()
            bodyTimer = nil
            guard let webhook else { return }
            let bytes = body.map { Array($0.readableBytesView) } ?? []
            body = nil
            self.webhook = nil
            state = .publishing
            switch intake.admit(body: bytes, head: webhook.head, age: webhook.age, receivedAt: webhook.receivedAt, logger: logger) {
            case .answer(let reply):
                respond(reply, context: context)
            case .publish(let message, let age):
                publish(message, age: age, context: context)
            }
        case .route(let reply):
            respond(reply, context: context)
        case .discarding:
            state = .idle
            if !keepAlive || closeRequested { context.close(promise: nil) }
        case .idle, .publishing, .closing:
            break
        }
    }

    // MARK: Publishing

    private func publish(_ message: EventMessage, age: WebhookVerifier.TimestampAge, context: ChannelHandlerContext) {
        let started = ContinuousClock.now
        let generation = self.generation
        let loop = context.eventLoop
        let handler = NIOLoopBound(self, eventLoop: loop)
        publisher.publish(message) { result in
            // The publisher thread calls this on the confirm; a publisher that confirms at once
            // (the benchmark's no-op) calls it here, on the loop, before `publish` returns.
            if loop.inEventLoop {
                handler.value.published(result, message: message, age: age, started: started, generation: generation, loop: loop)
            } else {
                loop.execute { handler.value.published(result, message: message, age: age, started: started, generation: generation, loop: loop) }
            }
        }
    }

    private func published(_ result: Result<Void, PublishFailure>, message: EventMessage, age: WebhookVerifier.TimestampAge,
                           started: ContinuousClock.Instant, generation: UInt64, loop: any EventLoop) {
        switch result {
        case .success:
            // Counted and remembered even if the client has gone: the broker holds the event.
            let answer = intake.confirmed(message, age: age, publishedAt: started, logger: logger)
            answerPublished(answer, generation: generation)
        case .failure(let failure):
            // Rare (broker down or slow): the spool writes and fsyncs a file, off the event loop,
            // even if the client has gone: a copy Zoom resends is dropped downstream by its id.
            let handler = NIOLoopBound(self, eventLoop: loop)
            let (intake, logger) = (self.intake, self.logger)
            Task {
                let answer = await intake.notConfirmed(message, because: failure, age: age, logger: logger)
                loop.execute { handler.value.answerPublished(answer, generation: generation) }
            }
        }
    }

    private func answerPublished(_ answer: ReceiverAnswer, generation: UInt64) {
        guard generation == self.generation, case .publishing = state, let context else { return }
        respond(answer, context: context)
    }

    // MARK: Answers

    /// Refused from the head or while the body comes in: answered at once. Too large or too slow,
    /// the connection is no longer read; otherwise the rest of the body is dropped and it is reused.
    private func refuse(_ rejection: WebhookRejection, requestID: String?, context: ChannelHandlerContext) {
        bodyTimer?.cancel()
        bodyTimer = nil
        body = nil
        webhook = nil
        let answer = intake.rejected(rejection, requestID: requestID, logger: logger)
        switch rejection {
        case .bodyTooLarge, .bodyTimeout:
            write(answer, then: .closeOutput, context: context)
            stopReading(context: context)
        default:
            state = .discarding(dropped: 0)
            write(answer, then: !keepAlive || closeRequested ? .closeOutput : .keepOpen, context: context)
        }
    }

    /// The request is complete: answer, then keep the connection for the next one or close it.
    private func respond(_ answer: ReceiverAnswer, context: ChannelHandlerContext) {
        let close = !keepAlive || closeRequested
        state = close ? .closing : .idle
        write(answer, then: close ? .close : .keepOpen, context: context)
    }

    private func bodyTimedOut(generation: UInt64, context: ChannelHandlerContext) {
        bodyTimer = nil
        guard generation == self.generation, case .readingBody = state else { return }
        refuse(.bodyTimeout, requestID: webhook?.head.requestID, context: context)
    }

    private func stopReading(context: ChannelHandlerContext) {
        state = .closing
        // Fails only on a channel already closed, which reads nothing more anyway.
        try? context.channel.syncOptions?.setOption(ChannelOptions.autoRead, value: false)
    }

    private func write(_ answer: ReceiverAnswer, then after: AfterAnswer, context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: answer.json.utf8.count)
        buffer.writeString(answer.json)
        var headers = HTTPHeaders()
        headers.reserveCapacity(4)
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "cache-control", value: "no-store")
        headers.add(name: "content-length", value: String(buffer.readableBytes))
        if after != .keepOpen {
            headers.add(name: "connection", value: "close")
        } else if version.minor == 0 {
            headers.add(name: "connection", value: "keep-alive")
        }
        let head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: answer.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if !isHead { context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil) }
        guard after != .keepOpen else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        written.futureResult.assumeIsolated().whenComplete { _ in
            if after == .close {
                context.close(promise: nil)
            } else {
                let halfClosed = context.eventLoop.makePromise(of: Void.self)
                context.close(mode: .output, promise: halfClosed)
                halfClosed.futureResult.assumeIsolated().whenFailure { _ in context.close(promise: nil) }
            }
        }
    }
}

extension WebhookHead {
    init(_ headers: HTTPHeaders) {
        self.init(contentType: headers.first(name: "content-type"), signature: Self.joined(headers["x-zm-signature"]),
                  timestamp: Self.joined(headers["x-zm-request-timestamp"]), contentLength: headers.first(name: "content-length"),
                  requestID: headers.first(name: "x-zm-request-id"))
    }

    /// One value per header as `HTTPFields` gives it: repeated headers joined by ", ".
    private static func joined(_ values: [String]) -> String? {
        switch values.count {
        case 0: nil
        case 1: values[0]
        default: values.joined(separator: ", ")
        }
    }
}

