import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Exports
import Projections

/// The dashboard's routes. Every view exists twice: public (names as the export privacy allows:
/// pseudonyms or none by default) at `/…`, and full (every name, behind `LOOKOUT_WEB_TOKEN`) at `/full/…`.
/// Handlers return the body or throw a `DashboardError`; the public API and the exports carry CORS
/// (`PublicCORS`), the pages and the full view do not.
public func makeDashboardRouter(settings: DashboardSettings, feed: ProjectionFeed,
                                now: @escaping @Sendable () -> Date = Date.init) -> Router<DashboardRequestContext> {
    let views = DashboardViews(settings: settings, feed: feed, access: FullViewAccess(tokens: settings.tokens), now: now)
    let router = Router(context: DashboardRequestContext.self)
    let shared = router.group().add(middleware: PublicCORS(origins: settings.corsOrigins))
    router.getAndHead("/health") { _, _ in ["status": "up"] }
    router.getAndHead("/ready") { _, _ in
        do {
            _ = try await feed.currentVersion()
            return ["status": "ready"]
        } catch {
            throw DashboardError.unavailable("cannot read the projections: \(error)")
        }
    }
    router.getAndHead("/assets/lookout.css") { _, _ in asset(Assets.stylesheet, type: "text/css; charset=utf-8") }
    router.getAndHead("/assets/lookout.js") { _, _ in asset(Assets.script, type: "text/javascript; charset=utf-8") }
    router.get("/events") { _, _ in
        guard feed.subscriberCount < settings.maxStreams else {
            throw DashboardError.unavailable("too many live pages open (LOOKOUT_WEB_MAX_STREAMS)")
        }
        return EventStream.response(await feed.subscribe())
    }
    shared.getAndHead("/exports/:file") { request, context in
        try await views.export(request, name: context.parameters.get("file") ?? "")
    }
    let period: Set<DashboardQuery.Key> = [.period, .from, .to, .since, .until]
    for scope in [DashboardViews.Scope.public, .full] {
        /// A page or an API answer, rendered once per projection version for everyone who asks.
        func route(_ path: String, _ allowed: Set<DashboardQuery.Key>, defaultPeriod: Period.Kind? = nil, type: String = "text/html; charset=utf-8",
                   _ respond: @escaping @Sendable (DashboardViews.Request, DashboardRequestContext) async throws -> Data) {
            let routes: any RouterMethods<DashboardRequestContext> = scope == .public && path.hasPrefix("/api/") ? shared : router
            routes.getAndHead(RouterPath(scope.prefix + path)) { request, context in
                // Before issue 15 the room was the front page: its old links still lead there.
                if path == "/", let query = request.uri.query, query.contains("meeting=") || query.contains("recent=") {
                    return Response(status: .found, headers: [.location: scope.prefix + "/room?" + query])
                }
                let own = context.parameters.get("id") ?? context.parameters.get("key") ?? ""
                let view = try await views.prepare(request, scope: scope, path: path.replacingOccurrences(of: ":id", with: own)
                    .replacingOccurrences(of: ":key", with: own), allowed: allowed, defaultPeriod: defaultPeriod)
                let key = "\(scope.prefix)\(request.uri.path)?\(request.uri.query ?? "")"
                let body: ByteBuffer
                // A client that asks for a fresh answer (a benchmark, a hard reload) gets one rendered for it.
                let fresh = request.headers[.cacheControl]?.contains("no-cache") == true
                if !fresh, let cached = views.pages.cached(of: view.page.version, key: key) {
                    body = cached
                } else {
                    body = ByteBuffer(bytes: try await respond(view, context))
                    views.pages.store(body, of: view.page.version, key: key)
                }
                return Response.rendered(body, type: type)
            }
        }

        route("/", period) { view, _ in html(OverviewPage.render(view.overview(), context: view.page)) }
        route("/room", period.union([.meeting, .recent, .status, .q, .limit]), defaultPeriod: .today) { view, _ in
            html(RoomPage.render(view.room(), context: view.page, query: view.query, limit: view.limit(DashboardViews.Request.rooms)))
        }
        route("/stability", period.union([.meeting, .limit])) { view, _ in
            html(StabilityPage.render(view.stability(), context: view.page, limit: view.limit(DashboardViews.Request.rows)))
        }
        route("/meetings", period.union([.q, .limit])) { view, _ in
            html(MeetingsPage.render(view.meetings(), context: view.page, query: view.query, limit: view.limit(DashboardViews.Request.rows)))
        }
        route("/meetings/:id", period.union([.recent, .instance, .limit])) { view, context in
            let id = context.parameters.get("id") ?? ""
            let report = try view.meeting(id, timeline: try await views.timeline(view, meetingID: id))
            return html(MeetingsPage.render(report, context: view.page, limit: view.limit(DashboardViews.Request.rows)))
        }
        route("/people/:key", period.union([.limit])) { view, context in
            html(PersonPage.render(try view.person(context.parameters.get("key") ?? "", keys: views.personKeys), context: view.page,
                                   limit: view.limit(DashboardViews.Request.rows)))
        }
        route("/people/:key/stays.csv", period.union([.limit]), type: "text/csv; charset=utf-8") { view, context in
            Data(PersonReport.csv(try view.person(context.parameters.get("key") ?? "", keys: views.personKeys)).utf8)
        }
        route("/api/overview", period, type: "application/json") { view, _ in try DashboardJSON.data(view.overview()) }
        route("/api/room", period.union([.meeting, .recent, .status, .q, .limit]), defaultPeriod: .today, type: "application/json") { view, _ in
            try DashboardJSON.data(view.room())
        }
        route("/api/stability", period.union([.meeting, .limit]), type: "application/json") { view, _ in try DashboardJSON.data(view.stability()) }
        route("/api/meetings", period.union([.q, .limit]), type: "application/json") { view, _ in try DashboardJSON.data(view.meetings()) }
        route("/api/meetings/:id", period.union([.recent, .instance, .limit]), type: "application/json") { view, context in
            let id = context.parameters.get("id") ?? ""
            return try DashboardJSON.data(try view.meeting(id, timeline: try await views.timeline(view, meetingID: id)))
        }
        route("/api/people/:key", period.union([.limit]), type: "application/json") { view, context in
            try DashboardJSON.data(try view.person(context.parameters.get("key") ?? "", keys: views.personKeys))
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

private func html(_ page: HTML) -> Data { Data(page.description.utf8) }

private func asset(_ text: String, type: String) -> Response {
    Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache", .xContentTypeOptions: "nosniff"],
             body: .init(byteBuffer: ByteBuffer(string: text)))
}
