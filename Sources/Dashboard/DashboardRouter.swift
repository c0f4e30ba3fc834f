import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ProjectionWorker
import Projections

/// The dashboard's routes. Every view exists twice: public (names filtered and pseudonymized like
/// the exports) at `/…`, and full (every name, behind `LOOKOUT_WEB_TOKEN`) at `/full/…`.
public func makeDashboardRouter(settings: DashboardSettings, feed: ProjectionFeed,
                                now: @escaping @Sendable () -> Date = Date.init) -> Router<BasicRequestContext> {
    let views = DashboardViews(settings: settings, feed: feed, access: FullViewAccess(tokens: settings.tokens), now: now)
    let router = Router()
    router.getAndHead("/health") { _, _ in Response.json(["status": "up"]) }
    router.getAndHead("/ready") { _, _ in
        do {
            _ = try await feed.currentVersion()
            return Response.json(["status": "ready"])
        } catch {
            return Response.problem(.unavailable("cannot read the projections: \(error)"))
        }
    }
    router.getAndHead("/assets/lookout.css") { _, _ in asset(Assets.stylesheet, type: "text/css; charset=utf-8") }
    router.getAndHead("/assets/lookout.js") { _, _ in asset(Assets.script, type: "text/javascript; charset=utf-8") }
    router.get("/events") { _, _ in
        guard feed.subscriberCount < settings.maxStreams else {
            return Response.problem(.unavailable("too many live pages open (LOOKOUT_WEB_MAX_STREAMS)"))
        }
        return EventStream.response(await feed.subscribe())
    }
    router.getAndHead("/exports/:file") { request, context in
        await views.responding(cors: views.cors(request, .public)) { () throws(DashboardError) in
            try await views.export(request, name: context.parameters.get("file") ?? "")
        }
    }
    for scope in [DashboardViews.Scope.public, .full] {
        func route(_ path: String, _ allowed: Set<DashboardQuery.Key>,
                   _ respond: @escaping @Sendable (DashboardViews.Request, Request, BasicRequestContext) throws(DashboardError) -> Response) {
            router.getAndHead(RouterPath(scope.prefix + path)) { request, context in
                await views.responding(cors: path.hasPrefix("/api/") ? views.cors(request, scope) : [:]) { () throws(DashboardError) in
                    try respond(try await views.prepare(request, scope: scope, allowed: allowed), request, context)
                }
            }
        }
        route("/", [.meeting, .recent]) { view, _, _ in .html(RoomPage.render(view.room(), context: view.page)) }
        route("/stability", [.meeting, .since, .until]) { view, _, _ in .html(StabilityPage.render(view.stability(), context: view.page)) }
        route("/meetings", [.since, .until]) { view, _, _ in .html(MeetingsPage.render(view.meetings(), context: view.page)) }
        route("/meetings/:id", [.recent, .since, .until]) { (view, _, context) throws(DashboardError) in
            .html(MeetingsPage.render(try view.meeting(context.parameters.get("id") ?? ""), context: view.page))
        }
        route("/api/room", [.meeting, .recent]) { view, request, _ in .json(view.room(), headers: views.cors(request, scope)) }
        route("/api/stability", [.meeting, .since, .until]) { view, request, _ in .json(view.stability(), headers: views.cors(request, scope)) }
        route("/api/meetings", [.since, .until]) { view, request, _ in .json(view.meetings(), headers: views.cors(request, scope)) }
        route("/api/meetings/:id", [.recent, .since, .until]) { (view, request, context) throws(DashboardError) in
            .json(try view.meeting(context.parameters.get("id") ?? ""), headers: views.cors(request, scope))
        }
    }
    return router
}

/// The dashboard as a runnable application; the feed must run beside it (same `ServiceGroup`).
public func makeDashboardApplication(settings: DashboardSettings, feed: ProjectionFeed, logger: Logger) -> some ApplicationProtocol {
    Application(router: makeDashboardRouter(settings: settings, feed: feed),
                configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "lookout"),
                logger: logger)
}

private func asset(_ text: String, type: String) -> Response {
    Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache", .xContentTypeOptions: "nosniff"],
             body: .init(byteBuffer: ByteBuffer(string: text)))
}
