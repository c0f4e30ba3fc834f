import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import LookoutTestSupport
import Exports
import Projections
import Synchronization
import Testing
import ZoomModel
@testable import Dashboard

/// Projections that stay as the test set them; counts snapshot reads; can be told to fail.
final class FixedSource: DashboardSource {
    private let state: Mutex<(snapshot: ProjectionSnapshot, version: Int64, reads: Int)>
    let failing: Bool

    init(_ snapshot: ProjectionSnapshot = ProjectionSnapshot(), version: Int64 = 1, failing: Bool = false) {
        state = Mutex((snapshot, version, 0))
        self.failing = failing
    }

    func snapshot() async throws -> ProjectionSnapshot {
        if failing { throw CancellationError() }
        return state.withLock { $0.reads += 1; return $0.snapshot }
    }

    func version() async throws -> Int64 {
        if failing { throw CancellationError() }
        return state.withLock { $0.version }
    }

    func change(to snapshot: ProjectionSnapshot? = nil) { state.withLock { $0.version += 1; if let snapshot { $0.snapshot = snapshot } } }
    var reads: Int { state.withLock { $0.reads } }
}

@Suite struct RouteTests {
    static let token = "correct-horse-battery-staple"
    let snapshot: ProjectionSnapshot

    init() throws { snapshot = try Fixture.snapshot() }

    func app(_ source: FixedSource? = nil, tokens: [String] = [token], privacy: ExportPrivacy = ExportPrivacy(pseudonyms: Pseudonyms(key: Array("dashboard test key".utf8))),
             cors: [String] = ["*"], maxStreams: Int = 10, feed: ProjectionFeed? = nil) -> some ApplicationProtocol {
        var exports = ExportSettings(directory: URL(fileURLWithPath: "/nonexistent"))
        exports.privacy = privacy
        var settings = DashboardSettings(exports: exports, rules: ProjectionRules())
        settings.tokens = tokens
        settings.corsOrigins = cors
        settings.maxStreams = maxStreams
        let feed = feed ?? ProjectionFeed(source: source ?? FixedSource(snapshot), logger: Logger(label: "test"))
        return Application(router: makeDashboardRouter(settings: settings, feed: feed, now: { Fixture.now }))
    }

    struct Answer {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
        var reason: String? { json["reason"] as? String }
    }

    func get(_ client: some TestClientProtocol, _ uri: String, headers: HTTPFields = [:]) async throws -> Answer {
        try await client.execute(uri: uri, method: .get, headers: headers) { response in
            Answer(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }

    @Test(arguments: ["/", "/?period=today", "/?period=30d", "/?from=2026-11-01&to=2026-11-22", "/room", "/room?meeting=85012345678&recent=3",
                      "/room?status=ended", "/room?status=all&q=bio&limit=1", "/stability", "/stability?meeting=86000000001&since=2026-11-22",
                      "/stability?period=term&limit=2", "/meetings", "/meetings?until=2026-11-23", "/meetings?q=chem",
                      "/meetings/85012345678", "/meetings/85012345678?recent=1", "/meetings/85012345678?instance=Dm0LookoutDemoMtg%3D%3D"])
    func everyViewIsAPage(_ uri: String) async throws {
        try await app().test(.router) { client in
            let answer = try await get(client, uri)
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType] == "text/html; charset=utf-8")
            #expect(answer.headers[.cacheControl] == "no-store")
            #expect(answer.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
            #expect(answer.body.hasPrefix("<!doctype html>"))
            #expect(answer.body.contains(#"<main data-version="1">"#))
        }
    }

    @Test func headIsAnsweredLikeGetWithoutABody() async throws {
        try await app().test(.router) { client in
            for uri in ["/", "/room", "/health", "/api/room", "/api/overview", "/exports/lookout.json"] {
                let head = try await client.execute(uri: uri, method: .head) { $0 }
                let get = try await get(client, uri)
                #expect(head.status == .ok, "\(uri)")
                #expect(head.headers[.contentType] == get.headers[.contentType])
                #expect(head.body.readableBytes == 0)
            }
            #expect(try await client.execute(uri: "/nowhere", method: .head) { $0.status } == .notFound)
            #expect(try await client.execute(uri: "/events", method: .head) { $0.status } != .ok, "a live stream is GET only")
        }
    }

    @Test func theApiGivesTheSameDataAsJSONWithCORS() async throws {
        try await app(privacy: .everyone).test(.router) { client in
            // CORS answers a request from another origin (a browser sends `Origin` with it).
            let room = try await get(client, "/api/room", headers: [.origin: "https://example.github.io"])
            #expect(room.status == .ok)
            #expect(room.headers[.contentType] == "application/json")
            #expect(room.headers[.cacheControl] == "no-store")
            #expect(room.headers[.accessControlAllowOrigin] == "*")
            let rooms = try #require(room.json["rooms"] as? [[String: Any]])
            let inRoom = (rooms.first?["in_room"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(inRoom == ["Ada Lovelace", "Alan Turing", "Katherine Johnson", "Edsger Dijkstra", "@channel **Guest** <b>"])
            #expect((rooms.first?["in_room"] as? [[String: Any]])?.first?["breakout_room"] == nil)
            #expect((rooms.first?["in_room"] as? [[String: Any]])?.first?["in_room_since"] as? String == "2026-11-22T08:01:02Z")

            let stability = try await get(client, "/api/stability?meeting=85012345678")
            let incidents = try #require(stability.json["incidents"] as? [[String: Any]])
            #expect(incidents.map { $0["platform_wide"] as? Bool } == [true])
            #expect(incidents.first?["participants"] as? [String] == ["Alan Turing", "Katherine Johnson", "Grace Hopper"])

            let meetings = try await get(client, "/api/meetings")
            #expect((meetings.json["meetings"] as? [[String: Any]])?.count == 3)
            let meeting = try await get(client, "/api/meetings/86000000001")
            #expect(meeting.status == .ok)
            #expect(meeting.json["topic"] as? String == "Chemistry 201")
            #expect(((meeting.json["room"] as? [String: Any])?["in_room"] as? [[String: Any]])?.first?["name"] as? String == Fixture.hostile)
        }
    }

    @Test func exportsAreTheFilesOfTheCurrentSnapshotWithCORSAndNoStore() async throws {
        var exports = ExportSettings(directory: URL(fileURLWithPath: "/nonexistent"))
        exports.privacy = ExportPrivacy(pseudonyms: Pseudonyms(key: Array("dashboard test key".utf8)))
        let files = Dictionary(uniqueKeysWithValues: try ExportFiles.render(snapshot, settings: exports, rules: ProjectionRules(), now: Fixture.now)
            .map { ($0.name, String(decoding: $0.contents, as: UTF8.self)) })
        let source = FixedSource(snapshot)
        try await app(source, cors: ["https://lab.example.org", "https://example.github.io"]).test(.router) { client in
            for (name, type) in [("zoom-room-dashboard.csv", "text/csv; charset=utf-8"), ("zoho-disconnections.csv", "text/csv; charset=utf-8"),
                                 ("zoho-incidents.csv", "text/csv; charset=utf-8"), ("lookout.json", "application/json")] {
                let answer = try await get(client, "/exports/\(name)?cachebust=1", headers: [.origin: "https://example.github.io"])
                #expect(answer.status == .ok)
                #expect(answer.headers[.contentType] == type)
                #expect(answer.headers[.cacheControl] == "no-store")
                #expect(answer.headers[.accessControlAllowOrigin] == "https://example.github.io")
                #expect(answer.headers[.vary] == "Origin")
                #expect(answer.body == files[name])
            }
            #expect(files["zoom-room-dashboard.csv"]?.contains("Participant ") == true)
            let stranger = try await get(client, "/exports/lookout.json", headers: [.origin: "https://evil.example"])
            #expect(stranger.headers[.accessControlAllowOrigin] == nil)
            // Rendered once per version, and again when the projections change.
            source.change(to: ProjectionSnapshot())
            #expect(try await get(client, "/exports/zoom-room-dashboard.csv").body == "\"Username\",\"Status\",\"Last Join\",\"Last Left\"\n")
            let missing = try await get(client, "/exports/passwords.csv", headers: [.origin: "https://example.github.io"])
            #expect(missing.status == .notFound)
            #expect(missing.headers[.accessControlAllowOrigin] == "https://example.github.io", "a page can read why")
            let badQuery = try await get(client, "/api/room?recent=lots", headers: [.origin: "https://example.github.io"])
            #expect(badQuery.status == .badRequest)
            #expect(badQuery.headers[.accessControlAllowOrigin] == "https://example.github.io")
            #expect(missing.reason?.hasPrefix("no export passwords.csv; there are lookout.json, ") == true)
        }
    }

    @Test(arguments: [("/room?recent=0", "recent: expected"), ("/?period=week", "period: expected"), ("/room?status=over", "status: expected"), ("/api/stability?since=yesterday", "since: expected"),
                      ("/meetings?meeting=85012345678", "unknown query parameter \"meeting\""),
                      ("/api/room?recent=2&recent=3", "given twice"), ("/stability?since=2026-11-23&until=2026-11-22", "since must be before")])
    func badQueryParametersGet400WithAReason(_ uri: String, _ reason: String) async throws {
        try await app().test(.router) { client in
            let answer = try await get(client, uri)
            #expect(answer.status == .badRequest)
            #expect(answer.headers[.contentType] == "application/json")
            #expect(answer.json["status"] as? String == "bad_request")
            #expect(answer.reason?.contains(reason) == true, "\(answer.reason ?? "-")")
        }
    }

    @Test(arguments: ["/meetings/999", "/api/meetings/999", "/room?meeting=999", "/api/stability?meeting=999"])
    func anUnknownMeetingIs404(_ uri: String) async throws {
        try await app().test(.router) { client in
            let answer = try await get(client, uri)
            #expect(answer.status == .notFound)
            #expect(answer.reason == "no meeting 999")
        }
    }

    @Test func theFullViewNeedsTheTokenAndShowsRealNames() async throws {
        let basic = "Basic " + Data("anyone:\(Self.token)".utf8).base64EncodedString()
        try await app().test(.router) { client in
            let anonymous = try await get(client, "/full")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate]?.hasPrefix("Basic realm=") == true)
            for wrong in ["Bearer nope", "Bearer \(Self.token)x", "Basic " + Data("u:nope".utf8).base64EncodedString(), "Token \(Self.token)"] {
                #expect(try await get(client, "/full/api/room", headers: [.authorization: wrong]).status == .unauthorized, "\(wrong)")
            }
            let viaBasic = try await get(client, "/full/room", headers: [.authorization: basic])
            #expect(viaBasic.status == .ok)
            #expect(viaBasic.body.contains("Katherine Johnson"))
            #expect(viaBasic.body.contains(#"<a href="/full/stability">"#))
            #expect(viaBasic.body.contains(#"<meta name="robots" content="noindex">"#))
            let api = try await get(client, "/full/api/stability", headers: [.authorization: "Bearer \(Self.token)"])
            #expect(api.status == .ok)
            #expect(api.body.contains("Grace Hopper"))
            #expect(api.headers[.accessControlAllowOrigin] == nil)
            for uri in ["/full/", "/full/stability", "/full/meetings", "/full/meetings/85012345678", "/full/api/meetings",
                        "/full/api/meetings/85012345678", "/full/api/overview"] {
                #expect(try await get(client, uri, headers: [.authorization: basic]).status == .ok, "\(uri)")
            }
            // The public view of the same data hides the names.
            let publicRoom = try await get(client, "/room")
            #expect(!publicRoom.body.contains("Katherine Johnson"))
            #expect(publicRoom.body.contains("Participant "))
        }
    }

    @Test func byDefaultThePublicViewNamesNobodyAndCountsEveryone() async throws {
        try await app(privacy: .withheld).test(.router) { client in
            let room = try await get(client, "/room")
            #expect(room.status == .ok)
            for name in ["Katherine Johnson", "Ada Lovelace", "Participant "] { #expect(!room.body.contains(name), "\(name)") }
            #expect(room.body.contains("5 in the room"))
            #expect(room.body.contains("names withheld"))
            let api = try await get(client, "/api/room")
            let rooms = try #require(api.json["rooms"] as? [[String: Any]])
            #expect(rooms.first?["in_room_count"] as? Int == 5)
            #expect((rooms.first?["in_room"] as? [Any])?.isEmpty == true)
            #expect(!(try await get(client, "/api/stability").body.contains("Grace Hopper")))
            #expect(!(try await get(client, "/exports/zoho-disconnections.csv").body.contains("Grace Hopper")))
            let person = try await get(client, "/people/abcdef")
            #expect(person.status == .notFound)
            #expect(person.reason?.contains("names are withheld") == true)
            // Behind the token, everyone by name.
            let full = try await get(client, "/full/room", headers: [.authorization: "Bearer \(Self.token)"])
            #expect(full.body.contains("Katherine Johnson"))
        }
    }

    @Test func peopleHavePagesByKeyAndTheirStaysAsCSV() async throws {
        let pseudonyms = Pseudonyms(key: Array("dashboard test key".utf8))
        let key = String(pseudonyms.name(for: "Katherine Johnson").suffix(6))
        try await app().test(.router) { client in
            let room = try await get(client, "/room")
            #expect(room.body.contains(#"<a class="person" href="/people/\#(key)">"#))
            let page = try await get(client, "/people/\(key)?period=today")
            #expect(page.status == .ok)
            #expect(page.body.contains(pseudonyms.name(for: "Katherine Johnson")))
            #expect(!page.body.contains("Katherine"))
            let csv = try await get(client, "/people/\(key)/stays.csv")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.body.contains(Fixture.biology))
            #expect(try await get(client, "/people/000000").status == .notFound)
            let digest = PersonKeys.digest("katherine johnson")
            #expect(try await get(client, "/people/\(digest)").status == .notFound, "the full view's key opens nothing in public")
            let full = try await get(client, "/full/people/\(digest)", headers: [.authorization: "Bearer \(Self.token)"])
            #expect(full.body.contains("<h1>Katherine Johnson</h1>"))
            #expect(try await get(client, "/full/api/people/\(digest)", headers: [.authorization: "Bearer \(Self.token)"]).json["name"] as? String
                    == "Katherine Johnson")
        }
    }

    @Test func periodsAreInTheURLAndTheAPITakesTheSameParameters() async throws {
        try await app(privacy: .everyone).test(.router) { client in
            let today = try await get(client, "/api/overview?period=today")
            #expect((today.json["stats"] as? [String: Any])?["bucket"] as? String == "hour")
            let week = try await get(client, "/api/overview")
            #expect((week.json["stats"] as? [String: Any])?["bucket"] as? String == "day")
            #expect(try await get(client, "/api/meetings?from=2026-11-23&to=2026-11-23").json["count"] as? Int == 0)
            #expect(try await get(client, "/api/meetings?from=2026-11-22&to=2026-11-22").json["count"] as? Int == 3)
            #expect(try await get(client, "/api/meetings?from=2026-11-23").status == .badRequest, "from after today")
            #expect(try await get(client, "/api/stability?period=today").json["drop_count"] as? Int == 9)
            let later = try await get(client, "/api/stability?from=2026-11-22T08:00:00Z")
            #expect(later.json["drop_count"] as? Int == 6, "Physics dropped at 07:10")
            // A page keeps its period in the links it gives.
            let page = try await get(client, "/stability?period=30d")
            #expect(page.body.contains(#"<a href="/meetings?period=30d">Meetings</a>"#))
            #expect(page.body.contains(#"href="/exports/zoho-disconnections.csv?period=30d""#))
            // Exports follow a period when given one; their format does not change.
            let all = try await get(client, "/exports/zoho-disconnections.csv")
            let part = try await get(client, "/exports/zoho-disconnections.csv?from=2026-11-22T08:00:00Z&cachebust=2")
            #expect(part.body.hasPrefix(all.body.split(separator: "\n").first.map(String.init) ?? "-"))
            #expect(all.body.contains("Emmy Noether"))
            #expect(!part.body.contains("Emmy Noether"))
            #expect(part.body.split(separator: "\n").count == 7)
            let room = try await get(client, "/exports/zoom-room-dashboard.csv?period=today")
            #expect(room.body.hasPrefix(#""Username","Status","Last Join","Last Left""#))
            #expect(try await get(client, "/exports/lookout.json?period=nope").status == .badRequest)
            // The room was the front page: its old links still work.
            let old = try await client.execute(uri: "/?meeting=85012345678&recent=3", method: .get) { $0 }
            #expect(old.status == .found)
            #expect(old.headers[.location] == "/room?meeting=85012345678&recent=3")
        }
    }

    @Test func thePublicRoomSearchAndShowMore() async throws {
        try await app(privacy: .everyone).test(.router) { client in
            let one = try await get(client, "/api/room?limit=1")
            #expect((one.json["rooms"] as? [Any])?.count == 1)
            #expect(one.json["matched"] as? Int == 2)
            let page = try await get(client, "/room?limit=1")
            #expect(page.body.contains(#"Showing 1 of 2. <a href="/room?limit=51">Show 1 more</a>"#))
            let found = try await get(client, "/api/room?q=physics&status=all")
            #expect((found.json["rooms"] as? [Any])?.isEmpty == true)
            #expect((found.json["ended"] as? [[String: Any]])?.map { $0["meeting_id"] as? String } == [Fixture.physics])
        }
    }

    @Test func withoutATokenTheFullViewIsOff() async throws {
        try await app(tokens: []).test(.router) { client in
            let answer = try await get(client, "/full/", headers: [.authorization: "Bearer anything"])
            #expect(answer.status == .notFound)
            #expect(answer.reason?.contains("LOOKOUT_WEB_TOKEN") == true)
        }
    }

    @Test func whenTheStoreIsDownPagesAndReadinessSay503() async throws {
        try await app(FixedSource(failing: true)).test(.router) { client in
            for uri in ["/", "/room", "/api/room", "/exports/lookout.json", "/ready"] {
                let answer = try await get(client, uri)
                #expect(answer.status == .serviceUnavailable, "\(uri)")
                #expect(answer.reason?.hasPrefix("cannot read the projections") == true)
            }
            #expect(try await get(client, "/health").status == .ok)
        }
    }

    @Test func healthReadinessAndAssets() async throws {
        try await app().test(.router) { client in
            #expect(try await get(client, "/health").json["status"] as? String == "up")
            #expect(try await get(client, "/ready").json["status"] as? String == "ready")
            let css = try await get(client, "/assets/lookout.css")
            #expect(css.status == .ok)
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")
            let script = try await get(client, "/assets/lookout.js")
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(script.body.contains("new EventSource"))
            #expect(try await get(client, "/nope").status == .notFound)
        }
    }

    @Test func theEventStreamSendsTheVersionThenEachChange() async throws {
        let source = FixedSource(snapshot)
        let feed = ProjectionFeed(source: source, interval: .milliseconds(10), logger: Logger(label: "test"))
        let running = Task { try await feed.run() }
        try await app(feed: feed).test(.router) { client in
            async let stream = get(client, "/events")
            try await eventually("the stream is subscribed") { feed.subscriberCount == 1 }
            source.change()
            try await eventually("the feed saw version 2") { try await feed.currentVersion() == 2 }
            running.cancel()
            let answer = try await stream
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType] == "text/event-stream")
            #expect(answer.headers[.cacheControl] == "no-store")
            #expect(answer.body == "retry: 2000\n\nevent: version\ndata: 1\n\nevent: version\ndata: 2\n\n")
        }
        #expect(feed.subscriberCount == 0)
    }

    @Test func tooManyLiveStreamsGet503() async throws {
        let feed = ProjectionFeed(source: FixedSource(snapshot), logger: Logger(label: "test"))
        let held = await feed.subscribe()
        try await app(maxStreams: 1, feed: feed).test(.router) { client in
            let answer = try await get(client, "/events")
            #expect(answer.status == .serviceUnavailable)
            #expect(answer.reason?.contains("LOOKOUT_WEB_MAX_STREAMS") == true)
        }
        _ = held
    }
}
