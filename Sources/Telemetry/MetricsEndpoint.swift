import Hummingbird
import Logging

/// `GET /metrics` in the Prometheus text format, on a router of the process's own.
public func addMetricsRoute(to router: Router<BasicRequestContext>) {
    router.get("/metrics") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: Telemetry.exposition())))
    }
}

/// A small HTTP server with `/metrics` and `/health`, for processes that serve nothing else.
public func makeMetricsApplication(host: String, port: Int, logger: Logger) -> some ApplicationProtocol {
    let router = Router()
    addMetricsRoute(to: router)
    router.get("/health") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "up\n"))) }
    return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "lookout-metrics"),
                       logger: logger)
}
