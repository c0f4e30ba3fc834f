import Foundation
import HTTPTypes
import Hummingbird
import Exports
import Projections
import Synchronization

/// What every view request goes through: access, query, period, one arranged snapshot per
/// version, the audience's privacy, and one render per version of each page however many live
/// pages ask for it.
struct DashboardViews: Sendable {
    enum Scope: Sendable {
        case `public`, full

        /// Where the scope's pages live.
        var prefix: String { self == .full ? "/full" : "" }
    }

    /// One view request, ready to render.
    struct Request: Sendable {
        let data: DashboardData
        let query: DashboardQuery
        let period: Period
        let audience: Audience
        let rules: ProjectionRules
        let page: PageContext

        var now: Date { page.clock.now }
        var calendar: Calendar { page.clock.calendar }
        func limit(_ fallback: Int) -> Int { query.limit ?? fallback }

        func overview() -> OverviewReport { OverviewReport.make(data, audience: audience, period: period, calendar: calendar, now: now) }
        func room() -> RoomReport {
            RoomReport.make(data, audience: audience, now: now, query: query, period: period, limit: limit(Self.rooms))
        }
        func stability() -> StabilityReport {
            StabilityReport.make(data, audience: audience, period: period, now: now, meetingID: query.meetingID, limit: limit(Self.rows))
        }
        func meetings() -> MeetingsReport {
            MeetingsReport.make(data, audience: audience, period: period, now: now, query: query, limit: limit(Self.rows))
        }
        func meeting(_ id: String, timeline: [String]?) throws(DashboardError) -> MeetingReport {
            try MeetingReport.make(data, meetingID: id, audience: audience, period: period, now: now, query: query, timeline: timeline,
                                   rules: rules, limit: limit(Self.rows))
        }
        func person(_ key: String, keys: PersonKeys) throws(DashboardError) -> PersonReport {
            guard !audience.namesWithheld else {
                throw .notFound("names are withheld on the public view, so there are no person pages: use the full view (/full/)")
            }
            guard key.count <= 32, let person = keys.person(key, in: data, audience: audience),
                  let report = PersonReport.make(data, person: person, key: key, audience: audience, period: period,
                                                 calendar: calendar, now: now, limit: limit(Self.rows)) else {
                throw .notFound("no person \(key)")
            }
            return report
        }

        /// Rooms shown at first on the room view, rows in a list.
        static let rooms = 12
        static let rows = 100
    }

    let settings: DashboardSettings
    let feed: ProjectionFeed
    let access: FullViewAccess
    let now: @Sendable () -> Date
    let rendered = RenderedExports()
    let arranged = ArrangedData()
    let pages = RenderedPages()
    let personKeys = PersonKeys()

    func prepare(_ request: Hummingbird.Request, scope: Scope, path: String, allowed: Set<DashboardQuery.Key>,
                 defaultPeriod: Period.Kind? = nil) async throws(DashboardError) -> Request {
        try authorize(request, scope: scope)
        let parameters = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
        let query = try DashboardQuery.parse(parameters, allowed: allowed)
        let (version, snapshot) = try await current()
        let data = arranged.data(of: version) { DashboardData(snapshot, windowSeconds: settings.rules.collectiveWindowSeconds) }
        if let meetingID = query.meetingID, !data.knows(meetingID: meetingID) { throw .notFound("no meeting \(meetingID)") }
        let clock = DisplayClock(timeZone: settings.exports.timeZone, now: now())
        let fallback = defaultPeriod ?? settings.defaultPeriod
        let period = try query.period(default: fallback, termStart: settings.termStart, calendar: clock.calendar, now: clock.now)
        let audience = scope == .full ? Audience.full : Audience(privacy: settings.exports.privacy, isFull: false)
        var page = PageContext(siteTitle: settings.title, prefix: scope.prefix, version: version, clock: clock)
        page.path = path
        page.parameters = parameters
        page.period = period
        page.defaultPeriod = fallback
        page.audience = audience
        return Request(data: data, query: query, period: period, audience: audience, rules: settings.rules, page: page)
    }

    func authorize(_ request: Hummingbird.Request, scope: Scope) throws(DashboardError) {
        guard scope == .full else { return }
        guard access.isEnabled else { throw .notFound("the full view is off: set LOOKOUT_WEB_TOKEN to turn it on") }
        guard access.allows(authorization: request.headers[.authorization]) else {
            throw .unauthorized("the full view needs the token, as a bearer token or the basic-auth password")
        }
    }

    /// The instance timeline the meeting page shows (one document, read when the page is rendered);
    /// a failed read is a 503, like a failed read of the projections.
    func timeline(_ view: Request, meetingID: String) async throws(DashboardError) -> [String]? {
        guard let instance = MeetingReport.chosenInstance(view.data, meetingID: meetingID, period: view.period, now: view.now,
                                                          query: view.query) else { return nil }
        do { return try await feed.timeline(instance: instance) } catch { throw .unavailable("cannot read the timeline of \(instance): \(error)") }
    }

    /// An export file, rendered from the current projections by the code that writes the files;
    /// with `period`, `from` or `to`, only what happened in that period (other parameters, such as
    /// cache-busters, are ignored).
    func export(_ request: Hummingbird.Request, name: String) async throws(DashboardError) -> Response {
        guard let type = Self.exportTypes[name] else {
            throw .notFound("no export \(name); there are " + Self.exportTypes.keys.sorted().joined(separator: ", "))
        }
        let parameters = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
            .filter { ["period", "from", "to"].contains($0.0) }
        let (version, snapshot) = try await current()
        let contents: ByteBuffer
        if parameters.isEmpty {
            let files = try rendered.files(of: version) { () throws(DashboardError) in
                Dictionary(uniqueKeysWithValues: try render(snapshot, now: now()).map { ($0.name, $0.contents) })
            }
            guard let file = files[name] else { throw .notFound("no export \(name)") }
            contents = ByteBuffer(bytes: file)
        } else {
            let query = try DashboardQuery.parse(parameters, allowed: [.period, .from, .to])
            let clock = DisplayClock(timeZone: settings.exports.timeZone, now: now())
            let period = try query.period(default: settings.defaultPeriod, termStart: settings.termStart, calendar: clock.calendar, now: clock.now)
            let key = "export|\(name)|" + parameters.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
            if let cached = pages.cached(of: version, key: key) {
                contents = cached
            } else {
                guard let file = try render(snapshot.within(period, now: clock.now), now: clock.now).first(where: { $0.name == name }) else {
                    throw .notFound("no export \(name)")
                }
                contents = ByteBuffer(bytes: file.contents)
                pages.store(contents, of: version, key: key)
            }
        }
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-store"], body: .init(byteBuffer: contents))
    }

    /// The export files, as the export writer renders them; an encoding failure is a 500.
    private func render(_ snapshot: ProjectionSnapshot, now: Date) throws(DashboardError) -> [(name: String, contents: Data)] {
        do { return try ExportFiles.render(snapshot, settings: settings.exports, rules: settings.rules, now: now) }
        catch { throw DashboardError(status: .internalServerError, reason: "cannot render the exports: \(error)") }
    }

    static let exportTypes = [
        ExportFiles.dashboard: "text/csv; charset=utf-8", ExportFiles.disconnections: "text/csv; charset=utf-8",
        ExportFiles.incidents: "text/csv; charset=utf-8", ExportFiles.json: "application/json",
    ]

    private func current() async throws(DashboardError) -> (version: Int64, snapshot: ProjectionSnapshot) {
        do { return try await feed.current() } catch { throw .unavailable("cannot read the projections: \(error)") }
    }
}

/// The export files of the latest version, rendered once however many sites fetch them.
final class RenderedExports: Sendable {
    private let latest = Mutex<(version: Int64, files: [String: Data])?>(nil)

    func files<Failure: Error>(of version: Int64, render: () throws(Failure) -> [String: Data]) throws(Failure) -> [String: Data] {
        if let latest = latest.withLock({ $0 }), latest.version == version { return latest.files }
        // Rendered outside the lock: two requests racing on a new version both render, harmlessly.
        let files = try render()
        latest.withLock { $0 = (version, files) }
        return files
    }
}

/// The snapshot arranged for the pages (`DashboardData`), once per version.
final class ArrangedData: Sendable {
    private let latest = Mutex<(version: Int64, data: DashboardData)?>(nil)

    func data(of version: Int64, arrange: () -> DashboardData) -> DashboardData {
        if let latest = latest.withLock({ $0 }), latest.version == version { return latest.data }
        let data = arrange()
        latest.withLock { if ($0?.version ?? .min) <= version { $0 = (version, data) } }
        return data
    }
}

/// Rendered pages of the latest version, by scope, path and query: when the version moves, every
/// open page fetches itself again, and N viewers of one page cost one render. Kept `maxAge` at
/// most, so a quiet hour does not leave "today so far" and the counters an hour old; bounded, so
/// odd queries cannot fill memory.
final class RenderedPages: Sendable {
    private let state = Mutex<(version: Int64, bodies: [String: (body: ByteBuffer, at: ContinuousClock.Instant)])>((.min, [:]))
    static let most = 256
    let maxAge: Duration

    init(maxAge: Duration = .seconds(30)) { self.maxAge = maxAge }

    func cached(of version: Int64, key: String) -> ByteBuffer? {
        state.withLock { state in
            guard state.version == version, let entry = state.bodies[key], ContinuousClock.now - entry.at < maxAge else { return nil }
            return entry.body
        }
    }

    func store(_ body: ByteBuffer, of version: Int64, key: String) {
        let now = ContinuousClock.now
        state.withLock { state in
            if state.version < version { state = (version, [:]) }
            guard state.version == version else { return }
            if state.bodies.count >= Self.most { state.bodies = state.bodies.filter { now - $0.value.at < maxAge } }
            if state.bodies.count < Self.most { state.bodies[key] = (body, now) }
        }
    }
}

extension ProjectionSnapshot {
    /// What happened in the period: the people with a stay in it, its drops, incidents, meetings and alerts.
    func within(_ period: Period, now: Date) -> ProjectionSnapshot {
        ProjectionSnapshot(
            presence: presence.filter { row in row.sessions.contains { period.overlaps($0.joinedAt?.date, $0.leftAt?.date ?? now) } },
            disconnections: disconnections.filter { period.contains($0.at.date) },
            incidents: incidents.filter { period.contains($0.startedAt.date) },
            meetings: meetings.filter { period.overlaps($0.startedAt?.date, $0.endedAt?.date ?? now) },
            alerts: alerts.filter { period.contains($0.at.date) })
    }
}
