import HummingbirdCore
import Logging
import LookoutCore
import NIOCore
import NIOHTTP1

/// Each accepted connection of `lookout receive`: NIO's HTTP/1.1 codec (with pipelining and its
/// 400 for requests it cannot parse), the idle timeout, and `ReceiverHTTPHandler`. Hummingbird's
/// `Server` still runs it (binding, graceful shutdown by quiescing, `.live` tests); its router
/// and per-connection async streams are not used.
struct ReceiverChannel: ServerChildChannel {
    struct Value: ServerChildChannelValue {
        let channel: any Channel
    }

    let intake: WebhookIntake
    let publisher: any EventPublisher

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            // First, so that any bytes read count, not only whole requests.
            try pipeline.addHandler(IdleStateHandler(readTimeout: TimeAmount(intake.settings.idleTimeout)))
            // Hummingbird's limits: 80 KB of headers.
            var limits = NIOHTTPDecoderLimitConfiguration()
            limits.maxHeaderFieldSize = 80 * 1024
            limits.maxHeaderListSize = 80 * 1024
            limits.maxHeaderFieldCount = 1000
            try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true,
                                                     withOutboundHeaderValidation: false, withEncoderConfiguration: .init(),
                                                     withDecoderLimitConfiguration: limits)
            try pipeline.addHandler(ReceiverHTTPHandler(intake: intake, publisher: publisher,
                                                        routes: ReceiverRoutes(webhookPath: intake.settings.webhookPath),
                                                        logger: logger))
            return Value(channel: channel)
        }
    }

    /// The handler does the work on the event loop; this task only holds the connection's place
    /// in the server's task group until it closes, so shutdown waits for answers in flight.
    func handle(value: Value, logger: Logger) async {
        // How it closed is the handler's to log; here only that it did.
        try? await value.channel.closeFuture.get()
    }
}
