import Foundation
import Hummingbird
import Logging
import LookoutCore

/// The receiver's routes: the webhook, `/health` (process up) and `/ready` (broker connected).
public func makeReceiverRouter(settings: ReceiverSettings, publisher: any EventPublisher,
                               now: @escaping @Sendable () -> Date = Date.init) -> Router<BasicRequestContext> {
    let endpoint = WebhookEndpoint(settings: settings, publisher: publisher, now: now)
    let router = Router()
    router.post(RouterPath(settings.webhookPath)) { request, context in
        await endpoint.handle(request, context: context)
    }
    router.get("/health") { _, _ in
        Response.json(Outcome(status: "up"))
    }
    router.get("/ready") { _, _ in
        publisher.isConnected
            ? Response.json(Outcome(status: "ready"))
            : Response.json(Outcome(status: "not_ready", reason: "not connected to the broker"), status: .serviceUnavailable)
    }
    return router
}

/// The receiver as a runnable application; `services` (the publisher) start before it and stop after it.
public func makeReceiverApplication(settings: ReceiverSettings, publisher: any EventPublisher,
                                    logger: Logger) -> some ApplicationProtocol {
    Application(router: makeReceiverRouter(settings: settings, publisher: publisher),
                configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "lookout"),
                logger: logger)
}
