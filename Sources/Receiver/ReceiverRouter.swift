import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import LookoutCore
import NIOCore
import Spool

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
