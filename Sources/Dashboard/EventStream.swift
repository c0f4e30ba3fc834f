import Hummingbird
import NIOCore
import ServiceLifecycle

/// Server-Sent Events: `event: version` with the projections' version, at once and on every
/// change, and a comment now and then so idle proxies keep the stream open.
enum EventStream {
    static func response(_ updates: AsyncStream<ProjectionFeed.Update>) -> Response {
        Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store", .xAccelBuffering: "no"],
                 body: ResponseBody { writer in
                     try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
                     // Ends when the viewer goes (a write fails), the feed stops, or the server shuts down.
                     for await update in updates.cancelOnGracefulShutdown() {
                         try await writer.write(ByteBuffer(string: text(update)))
                     }
                     try await writer.finish(nil)
                 })
    }

    static func text(_ update: ProjectionFeed.Update) -> String {
        switch update {
        case .version(let version): "event: version\ndata: \(version)\n\n"
        case .keepalive: ": keepalive\n\n"
        }
    }
}
