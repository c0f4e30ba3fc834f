import Foundation
import HTTPTypes
import Hummingbird
import ProjectionWorker
import Projections
import Synchronization

/// What every view request goes through: access, query, one snapshot, the audience's privacy.
struct DashboardViews: Sendable {
    enum Scope: Sendable {
        case `public`, full

        /// Where the scope's pages live.
        var prefix: String { self == .full ? "/full" : "" }
    }

    /// One view request, ready to render.
    struct Request: Sendable {
        let snapshot: ProjectionSnapshot
        let query: DashboardQuery
        let privacy: ExportPrivacy
        let windowSeconds: Int
        let page: PageContext

        var now: Date { page.clock.now }

        func room() -> RoomReport { RoomReport.make(snapshot, privacy: privacy, now: now, query: query) }
        func stability() -> StabilityReport {
            StabilityReport.make(snapshot, privacy: privacy, now: now, windowSeconds: windowSeconds, query: query)
        }
        func meetings() -> MeetingsReport { MeetingsReport.make(snapshot, privacy: privacy, now: now, query: query) }
        func meeting(_ id: String) throws(DashboardError) -> MeetingReport {
            try MeetingReport.make(snapshot, meetingID: id, privacy: privacy, now: now, windowSeconds: windowSeconds, query: query)
        }
    }

    let settings: DashboardSettings
    let feed: ProjectionFeed
    let access: FullViewAccess
    let now: @Sendable () -> Date
    let rendered = RenderedExports()

    func prepare(_ request: Hummingbird.Request, scope: Scope, allowed: Set<DashboardQuery.Key>) async throws(DashboardError) -> Request {
        if scope == .full {
            guard access.isEnabled else { throw .notFound("the full view is off: set LOOKOUT_WEB_TOKEN to turn it on") }
            guard access.allows(authorization: request.headers[.authorization]) else {
                throw .unauthorized("the full view needs the token, as a bearer token or the basic-auth password")
            }
        }
        let query = try DashboardQuery.parse(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, allowed: allowed)
        let (version, snapshot) = try await current()
        if let meetingID = query.meetingID, !snapshot.knows(meetingID: meetingID) { throw .notFound("no meeting \(meetingID)") }
        let page = PageContext(siteTitle: settings.title, prefix: scope.prefix, version: version,
                               clock: DisplayClock(timeZone: settings.exports.timeZone, now: now()))
        return Request(snapshot: snapshot, query: query, privacy: scope == .full ? .everyone : settings.exports.privacy,
                       windowSeconds: settings.rules.collectiveWindowSeconds, page: page)
    }

    /// An export file, rendered from the current projections by the code that writes the files.
    func export(_ request: Hummingbird.Request, name: String) async throws(DashboardError) -> Response {
        guard let type = Self.exportTypes[name] else {
            throw .notFound("no export \(name); there are " + Self.exportTypes.keys.sorted().joined(separator: ", "))
        }
        let (version, snapshot) = try await current()
        let files = rendered.files(of: version) {
            Dictionary(uniqueKeysWithValues: ExportFiles.render(snapshot, settings: settings.exports, rules: settings.rules, now: now())
                .map { ($0.name, $0.contents) })
        }
        var headers: HTTPFields = [.contentType: type, .cacheControl: "no-store"]
        headers.append(contentsOf: cors(request, .public))
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: files[name] ?? Data())))
    }

    static let exportTypes = [
        ExportFiles.dashboard: "text/csv; charset=utf-8", ExportFiles.disconnections: "text/csv; charset=utf-8",
        ExportFiles.incidents: "text/csv; charset=utf-8", ExportFiles.json: "application/json",
    ]

    /// Public data may be fetched by other sites (a Jekyll page's script); the full view may not.
    func cors(_ request: Hummingbird.Request, _ scope: Scope) -> HTTPFields {
        guard scope == .public else { return [:] }
        if settings.corsOrigins == ["*"] { return [.accessControlAllowOrigin: "*"] }
        if let origin = request.headers[.origin], settings.corsOrigins.contains(origin) {
            return [.accessControlAllowOrigin: origin, .vary: "Origin"]
        }
        return [.vary: "Origin"]
    }

    private func current() async throws(DashboardError) -> (version: Int64, snapshot: ProjectionSnapshot) {
        do { return try await feed.current() } catch { throw .unavailable("cannot read the projections: \(error)") }
    }

    /// The answer, or the error's JSON problem; `cors` goes on the problem too, so a page on
    /// another origin can read why its request failed.
    func responding(cors: HTTPFields = [:], _ body: () async throws(DashboardError) -> Response) async -> Response {
        do { return try await body() } catch {
            var problem = Response.problem(error)
            problem.headers.append(contentsOf: cors)
            return problem
        }
    }
}

/// The export files of the latest version, rendered once however many sites fetch them.
final class RenderedExports: Sendable {
    private let latest = Mutex<(version: Int64, files: [String: Data])?>(nil)

    func files(of version: Int64, render: () -> [String: Data]) -> [String: Data] {
        if let latest = latest.withLock({ $0 }), latest.version == version { return latest.files }
        // Rendered outside the lock: two requests racing on a new version both render, harmlessly.
        let files = render()
        latest.withLock { $0 = (version, files) }
        return files
    }
}
