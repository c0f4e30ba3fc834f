import ArgumentParser
import Foundation
import LookoutCore
import NIOCore
import NIOHTTP1
import NIOPosix
import CurlHTTP
import Synchronization

/// `CurlTransport` against a keep-alive HTTP/1.1 server on loopback, in this process: requests
/// a second and latency with handles kept between transfers (connections reused) or not
/// (`--keep-idle 0`: a new handle and TCP connection per request, as before the pool).
struct OutboundHTTPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbound-http",
        abstract: "CurlTransport requests/s and latency against a local server, with or without connection reuse.",
        discussion: "Prints one line: keep_idle= requests= concurrency= seconds= rate= p50_ms= p99_ms= connections= errors=")

    @Option(help: "Requests to send.") var requests = 2000
    @Option(help: "Requests in flight at once (each a sequence of its own).") var concurrency = 1
    @Option(help: "Idle handles the pool keeps (0: no connection reuse).") var keepIdle = 16

    func run() async throws {
        let server = try await CountingHTTPServer.start()
        let transport = CurlTransport(handles: CurlHandlePool(keepIdle: keepIdle))
        let url = "http://127.0.0.1:\(server.port)/hooks/bench"
        let body = Array(#"{"channel":"zoom-watch","text":"Ada Lovelace joined Biology 101 at 08:01"}"#.utf8)
        let perTask = max(1, requests / max(1, concurrency))
        let started = ContinuousClock.now
        let results = await withTaskGroup(of: ([Duration], Int).self) { group in
            for _ in 0..<max(1, concurrency) {
                group.addTask {
                    var latencies: [Duration] = []
                    var errors = 0
                    for _ in 0..<perTask {
                        let begin = ContinuousClock.now
                        do {
                            let response = try await transport.send(OutboundRequest(url: url, headers: [("Content-Type", "application/json")], body: body))
                            if response.status != 200 { errors += 1 }
                        } catch {
                            errors += 1
                        }
                        latencies.append(ContinuousClock.now - begin)
                    }
                    return (latencies, errors)
                }
            }
            var all: ([Duration], Int) = ([], 0)
            for await (latencies, errors) in group {
                all.0 += latencies
                all.1 += errors
            }
            return all
        }
        let elapsed = ContinuousClock.now - started
        let sorted = results.0.sorted()
        func percentile(_ p: Double) -> String {
            let value = sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
            return String(format: "%.3f", Double(value.components.attoseconds) / 1e15 + Double(value.components.seconds) * 1000)
        }
        print("keep_idle=\(keepIdle) requests=\(sorted.count) concurrency=\(concurrency) \(throughput(sorted.count, seconds: elapsed.timeInterval))",
              "p50_ms=\(percentile(0.5)) p99_ms=\(percentile(0.99))",
              "connections=\(server.connections) errors=\(results.1)")
        try await server.channel.close()
    }
}

/// Answers every request with a short 200, keeps connections alive, counts the TCP connections
/// it accepted.
final class CountingHTTPServer: Sendable {
    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    let channel: any Channel
    let port: Int
    private let counter: Counter

    var connections: Int { counter.value.load(ordering: .relaxed) }

    private init(channel: any Channel, counter: Counter) {
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
        self.counter = counter
    }

    static func start() async throws -> CountingHTTPServer {
        let counter = Counter()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                counter.value.add(1, ordering: .relaxed)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(OKHandler())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return CountingHTTPServer(channel: channel, counter: counter)
    }
}

private final class OKHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        let headers = HTTPHeaders([("Content-Type", "text/plain"), ("Content-Length", "2")])
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "ok")))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
