import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import LookoutCore
import NIOCore
import Spool

/// The receiver's routes as a Hummingbird router: the webhook, `/health` (process up) and
/// `/ready` (able to accept: the broker is connected, or the spool has room). The same decisions
/// as `makeReceiverApplication`'s channel handler (both run `WebhookIntake`), at about twice its
/// CPU per request; for embedding in a Hummingbird application and in-process route tests.
public func makeReceiverRouter(settings: ReceiverSettings, publisher: any EventPublisher, spool: EventSpool? = nil,
                               now: @escaping @Sendable () -> Date = Date.init) -> Router<BasicRequestContext> {
    let intake = WebhookIntake(settings: settings, spool: spool, now: now)
    let endpoint = WebhookEndpoint(intake: intake, publisher: publisher)
    let router = Router()
    router.post(RouterPath(settings.webhookPath)) { request, context in
        await endpoint.handle(request, context: context)
    }
    router.get("/health") { _, _ in
        Response(intake.health())
    }
    router.get("/ready") { _, _ in
        Response(intake.readiness(brokerConnected: publisher.isConnected))
    }
    return router
}

/// Hummingbird's HTTP/1.1 server with the idle timeout of `settings`, for `makeReceiverRouter`.
public func makeReceiverServer(settings: ReceiverSettings) -> HTTPServerBuilder {
    .http1(configuration: .init(idleTimeout: TimeAmount.milliseconds(settings.idleTimeout.wholeMilliseconds)))
}

/// The receiver as a runnable application (`lookout receive`): every route answered by
/// `ReceiverHTTPHandler` on the NIO event loops, with Hummingbird's server around it for binding,
/// graceful shutdown and tests. Its router is empty: no request reaches it.
public func makeReceiverApplication(settings: ReceiverSettings, publisher: any EventPublisher, spool: EventSpool? = nil,
                                    logger: Logger) -> some ApplicationProtocol {
    makeReceiverApplication(settings: settings, publisher: publisher, spool: spool, logger: logger, now: Date.init)
}

func makeReceiverApplication(settings: ReceiverSettings, publisher: any EventPublisher, spool: EventSpool?,
                             logger: Logger, now: @escaping @Sendable () -> Date) -> some ApplicationProtocol {
    let channel = ReceiverChannel(intake: WebhookIntake(settings: settings, spool: spool, now: now), publisher: publisher)
    return Application(router: Router(), server: HTTPServerBuilder { _ in channel },
                       configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "lookout"),
                       logger: logger)
}
