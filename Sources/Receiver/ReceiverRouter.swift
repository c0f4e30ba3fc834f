import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import LookoutCore
import NIOCore
import Spool

/// The receiver's routes: the webhook, `/health` (process up) and `/ready` (able to accept: the
/// broker is connected, or the spool has room).
public func makeReceiverRouter(settings: ReceiverSettings, publisher: any EventPublisher, spool: EventSpool? = nil,
                               now: @escaping @Sendable () -> Date = Date.init) -> Router<BasicRequestContext> {
    let endpoint = WebhookEndpoint(settings: settings, publisher: publisher, spool: spool, now: now)
    let router = Router()
    router.post(RouterPath(settings.webhookPath)) { request, context in
        await endpoint.handle(request, context: context)
    }
    router.get("/health") { _, _ in
        Response.json(Outcome(status: "up", spoolDepth: spool?.count))
    }
    router.get("/ready") { _, _ in
        if publisher.isConnected { return Response.json(Outcome(status: "ready", spoolDepth: spool?.count)) }
        if let spool, spool.hasRoom(for: settings.maxBodyBytes) {
            return Response.json(Outcome(status: "ready", reason: "broker unreachable; accepting into the spool", spoolDepth: spool.count))
        }
        return Response.json(Outcome(status: "not_ready", reason: "not connected to the broker", spoolDepth: spool?.count),
                             status: .serviceUnavailable)
    }
    return router
}

/// HTTP/1.1 with the idle timeout of `settings`.
public func makeReceiverServer(settings: ReceiverSettings) -> HTTPServerBuilder {
    .http1(configuration: .init(idleTimeout: TimeAmount.milliseconds(settings.idleTimeout.wholeMilliseconds)))
}

/// The receiver as a runnable application.
public func makeReceiverApplication(settings: ReceiverSettings, publisher: any EventPublisher, spool: EventSpool? = nil,
                                    logger: Logger) -> some ApplicationProtocol {
    Application(router: makeReceiverRouter(settings: settings, publisher: publisher, spool: spool),
                server: makeReceiverServer(settings: settings),
                configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "lookout"),
                logger: logger)
}
