import Foundation
import HTTPTypes
import Hummingbird
import Logging
import CurlHTTP
import LookoutTestSupport
import Synchronization
import Testing
import ZoomAPI
import ZoomModel

/// Zoom's OAuth, Dashboard, Report and past-meeting APIs as REFERENCE.md documents them, on
/// loopback. It checks every request (credentials, bearer token, scope, path and its encoding,
/// query, the Dashboard's six months) and records what it finds wrong; it counts requests per rate
/// class per (shrinkable) second, minute and day and answers as Zoom does past a limit: 429 with
/// Zoom's bodies, the daily one with `X-RateLimit-Type: Daily-limit` and `Retry-After`. It can
/// also expire tokens after a few requests (401) and answer 429 or 500 now and then.
final class FakeZoomAPI: Sendable {
    static let accountID = "DemoAccount01", clientID = "client-1", clientSecret = "secret-1"
    static let scopes: Set<String> = ["dashboard_meetings:read:admin", "report:read:admin", "meeting:read:admin"]

    struct Behaviour: Sendable {
        /// API requests a token is good for before it answers 401 "expired".
        var tokenLifetime = 6
        /// Every n-th API request gets a 500 (0: never).
        var serverErrorEvery = 0
        /// Share of API requests answered 429 (per-second), spread evenly.
        var rateLimitedShare = 0.0
        /// With it, those 429s carry `Retry-After` (seconds).
        var retryAfterSeconds: Int?
        /// Pro has no Dashboard: its endpoints answer 400 with Zoom's plan message.
        var plan: ZoomPlan = .business
        /// The scopes tokens are issued with.
        var scopes = FakeZoomAPI.scopes
        /// Answer 429 past the plan's per-class limits (per `second` and `minute`) and its daily
        /// cap; off, the requests are only counted.
        var enforceLimits = false
        var second: Duration = .seconds(1)
        var minute: Duration = .seconds(60)
        /// The account's daily cap (nil: the plan's), and what the account's other apps used of it today.
        var dailyCap: Int?
        var usedByOtherApps = 0
        /// The fake's "now": its day and the Dashboard's six months follow it.
        var now: @Sendable () -> Date = Date.init
    }

    struct State {
        var tokens: [String: Int] = [:]
        var tokensIssued = 0
        var apiRequests = 0
        var participantRequests = 0
        var reportRequests = 0
        var rateLimited = 0
        var serverErrors = 0
        var requestTimes: [ContinuousClock.Instant] = []
        var violations: [String] = []
        var pageTokens: Set<String> = []
        /// Arrival times per rate class, and those served (not refused for a limit).
        var arrivals: [ZoomRateClass: [ContinuousClock.Instant]] = [:]
        var served: [ZoomRateClass: [ContinuousClock.Instant]] = [:]
        /// 429s for going past a class's per-second/minute limit.
        var overLimit: [ZoomRateClass: Int] = [:]
        /// Heavy + Resource-intensive requests served, by UTC day.
        var days: [String: Int] = [:]
        var dailyLimited = 0
        /// Requests that came after a daily-limit answer of the same day (a client that keeps trying).
        var afterDailyLimit = 0
        var dailyLimitDay: String?
    }

    let port = freePort()
    let meetings: [[String: String]]
    let participants: [String: [[String: String]]]
    let behaviour: Behaviour
    let state = Mutex(State())
    private let task = Mutex<Task<Void, any Error>?>(nil)

    init(meetings: [[String: String]], participants: [String: [[String: String]]], behaviour: Behaviour = .init()) {
        self.meetings = meetings
        self.participants = participants
        self.behaviour = behaviour
    }

    var credentials: ZoomCredentials {
        ZoomCredentials(accountID: Self.accountID, clientID: Self.clientID, clientSecret: Self.clientSecret,
                        apiURL: "http://127.0.0.1:\(port)", oauthURL: "http://127.0.0.1:\(port)/oauth/token")
    }

    func start() async throws {
        let router = Router()
        router.post("/oauth/token") { request, _ in try await self.token(request) }
        router.get("/v2/**") { request, _ in self.api(request) }
        var logger = Logger(label: "fake-zoom")
        logger.logLevel = .error
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        task.withLock { $0 = Task { try await app.runService(gracefulShutdownSignals: []) } }
        try await eventually("the fake Zoom API is up") {
            (try? await CurlTransport().send(OutboundRequest(url: "http://127.0.0.1:\(port)/oauth/token", method: "GET"))) != nil
        }
    }

    func stop() { task.withLock { $0?.cancel() } }

    private func violation(_ text: String) -> Response {
        state.withLock { $0.violations.append(text) }
        return Self.answer(400, #"{"code":300,"message":"\#(text)"}"#)
    }

    private func token(_ request: Request) async throws -> Response {
        let body = String(buffer: try await request.body.collect(upTo: 10_000))
        let basic = "Basic " + Data("\(Self.clientID):\(Self.clientSecret)".utf8).base64EncodedString()
        guard header(request, "authorization") == basic else {
            return Self.answer(401, #"{"reason":"Invalid client_id or client_secret","error":"invalid_client"}"#)
        }
        guard header(request, "content-type") == "application/x-www-form-urlencoded" else { return violation("OAuth: content type") }
        guard body == "grant_type=account_credentials&account_id=\(Self.accountID)" else { return violation("OAuth: form \(body)") }
        let value = state.withLock { state -> String in
            state.tokensIssued += 1
            let value = "token-\(state.tokensIssued)"
            state.tokens[value] = behaviour.tokenLifetime
            return value
        }
        let scope = behaviour.scopes.sorted().joined(separator: " ")
        return Self.answer(200, #"{"access_token":"\#(value)","token_type":"bearer","expires_in":3600,"scope":"\#(scope)","api_url":"http://127.0.0.1:\#(port)"}"#)
    }

    /// What a path is: its rate class, the scope it needs, and whether it is a Dashboard endpoint.
    private struct Endpoint {
        let rateClass: ZoomRateClass
        let scope: String
        let dashboard: Bool
    }

    private static func endpoint(_ path: String) -> Endpoint? {
        if path == "/v2/metrics/meetings" { return Endpoint(rateClass: .resourceIntensive, scope: "dashboard_meetings:read:admin", dashboard: true) }
        if path.hasPrefix("/v2/metrics/meetings/") { return Endpoint(rateClass: .heavy, scope: "dashboard_meetings:read:admin", dashboard: true) }
        if path.hasPrefix("/v2/report/meetings/") { return Endpoint(rateClass: .heavy, scope: "report:read:admin", dashboard: false) }
        if path.hasPrefix("/v2/past_meetings/"), path.hasSuffix("/instances") {
            return Endpoint(rateClass: .medium, scope: "meeting:read:admin", dashboard: false)
        }
        return nil
    }

    private enum Gate { case pass, expired, limited, failed, overLimit(String), daily(String) }

    private func api(_ request: Request) -> Response {
        let bearer = header(request, "authorization") ?? ""
        let path = request.uri.path
        guard let endpoint = Self.endpoint(path) else { return violation("unknown path \(path)") }
        let now = behaviour.now()
        let today = DailyBudget.day(of: now)
        let gate = state.withLock { state -> Gate? in
            let arrived = ContinuousClock.now
            state.apiRequests += 1
            state.requestTimes.append(arrived)
            state.arrivals[endpoint.rateClass, default: []].append(arrived)
            if state.dailyLimitDay == today, endpoint.rateClass.isDailyCapped { state.afterDailyLimit += 1 }
            guard bearer.hasPrefix("Bearer "), let left = state.tokens[String(bearer.dropFirst(7))] else { return nil }
            guard left > 0 else { return .expired }
            if behaviour.enforceLimits, let refusal = limitRefusal(endpoint.rateClass, at: arrived, today: today, state: &state) {
                return refusal
            }
            state.tokens[String(bearer.dropFirst(7))] = left - 1
            state.served[endpoint.rateClass, default: []].append(arrived)
            if endpoint.rateClass.isDailyCapped { state.days[today, default: 0] += 1 }
            if behaviour.serverErrorEvery > 0, state.apiRequests % behaviour.serverErrorEvery == 0 {
                state.serverErrors += 1
                return .failed
            }
            // Spread evenly, not at random: a random run of 429s longer than the client's retry
            // budget would fail the test for no fault of the client.
            let share = behaviour.rateLimitedShare, n = Double(state.apiRequests)
            if share > 0, (n * share).rounded(.down) > ((n - 1) * share).rounded(.down) {
                state.rateLimited += 1
                return .limited
            }
            return .pass
        }
        switch gate {
        case nil: return violation("API request without a token we issued: \(bearer)")
        case .expired: return Self.answer(401, #"{"code":124,"message":"Access token is expired."}"#)
        case .limited:
            return Self.answer(429, #"{"code":429,"message":"You have reached the maximum per-second rate limit for this API. Try again later."}"#,
                               headers: behaviour.retryAfterSeconds.map { [("Retry-After", "\($0)")] } ?? [])
        case .overLimit(let window):
            return Self.answer(429, #"{"code":429,"message":"You have reached the maximum per-\#(window) rate limit for this API. Try again later."}"#,
                               headers: [("X-RateLimit-Category", endpoint.rateClass.label), ("X-RateLimit-Type", "QPS")])
        case .daily(let resumes):
            return Self.answer(429, #"{"code":429,"message":"You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request."}"#,
                               headers: [("X-RateLimit-Category", endpoint.rateClass.label), ("X-RateLimit-Type", "Daily-limit"),
                                         ("X-RateLimit-Remaining", "0"), ("Retry-After", resumes)])
        case .failed: return Self.answer(500, #"{"code":500,"message":"Internal error"}"#)
        case .pass: break
        }
        guard behaviour.scopes.contains(endpoint.scope) else {
            return Self.answer(400, #"{"code":4711,"message":"Invalid access token, does not contain scopes:[\#(endpoint.scope)]."}"#)
        }
        if endpoint.dashboard, behaviour.plan == .pro {
            return Self.answer(400, #"{"code":200,"message":"Dashboard feature is not available for this account's plan. Upgrade to Business or higher to use it."}"#)
        }
        let query = Self.query(request.uri.query)
        if endpoint.rateClass == .medium { return instances(path) }
        if path.hasPrefix("/v2/report/meetings/"), !path.hasSuffix("/participants") { return report(path) }
        guard let size = query["page_size"].flatMap(Int.init), (1...300).contains(size) else { return violation("page_size in \(path)") }
        if let token = query["next_page_token"], !state.withLock({ $0.pageTokens.contains(token) }) {
            return violation("unknown next_page_token \(token)")
        }
        let offset = query["next_page_token"].flatMap { Int($0.split(separator: ":").last ?? "") } ?? 0
        let earliest = BackfillWindow.earliest(now)
        if path == "/v2/metrics/meetings" {
            guard query["type"] == "past" else { return violation("metrics/meetings type") }
            guard let from = query["from"], let to = query["to"], from.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil,
                  to.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil, from <= to else { return violation("metrics/meetings from/to") }
            guard from >= earliest else { return violation("metrics/meetings from \(from): before the last 6 months (\(earliest))") }
            let inRange = meetings.filter {
                let day = String(($0["start_time"] ?? "").prefix(10))
                return day >= from && day <= to
            }
            return page(inRange, key: "meetings", offset: offset, size: size, scope: "m\(from)\(to)")
        }
        if path.hasPrefix("/v2/metrics/meetings/") {
            guard query["type"] == "past" else { return violation("participants type") }
            guard let meeting = meeting(path, prefix: "/v2/metrics/meetings/", suffix: "/participants") else {
                return violation("unknown path \(path)")
            }
            guard String((meeting["start_time"] ?? "").prefix(10)) >= earliest else { return violation("participants of a meeting before the last 6 months") }
            state.withLock { $0.participantRequests += 1 }
            let uuid = meeting["uuid"]!
            return page(participants[uuid] ?? [], key: "participants", offset: offset, size: size, scope: "p\(uuid)")
        }
        guard let meeting = meeting(path, prefix: "/v2/report/meetings/", suffix: "/participants") else { return violation("unknown path \(path)") }
        state.withLock { $0.reportRequests += 1 }
        let uuid = meeting["uuid"]!
        return page((participants[uuid] ?? []).map(Self.reportRow), key: "participants", offset: offset, size: size, scope: "r\(uuid)")
    }

    /// Past a class's limit in its window, or past the day's cap: the refusal, counted.
    private func limitRefusal(_ rateClass: ZoomRateClass, at arrived: ContinuousClock.Instant, today: String,
                              state: inout State) -> Gate? {
        if rateClass.isDailyCapped {
            let cap = behaviour.dailyCap ?? behaviour.plan.dailyCap
            if state.days[today, default: 0] + behaviour.usedByOtherApps >= cap {
                state.dailyLimited += 1
                state.dailyLimitDay = today
                return .daily(ZoomTime.format(DailyBudget.nextReset(after: behaviour.now())))
            }
        }
        let (limit, window) = behaviour.plan.limit(rateClass)
        let length = window == .second ? behaviour.second : behaviour.minute
        let recent = state.served[rateClass, default: []].reversed().prefix { arrived - $0 < length }.count
        guard recent >= limit else { return nil }
        state.overLimit[rateClass, default: 0] += 1
        return .overLimit(window == .second ? "second" : "minute")
    }

    /// The meeting a path names by its UUID (encoded as Zoom asks: twice when it starts with `/` or
    /// holds `//`), or by its numeric id: then, as Zoom does, only its last occurrence.
    private func meeting(_ path: String, prefix: String, suffix: String) -> [String: String]? {
        guard path.hasPrefix(prefix), path.hasSuffix(suffix) else { return nil }
        let name = String(path.dropFirst(prefix.count).dropLast(suffix.count))
        if let match = meetings.first(where: { MeetingHistory.pathComponent($0["uuid"]!) == name }) { return match }
        return meetings.filter { $0["id"] == name }.max { ($0["start_time"] ?? "") < ($1["start_time"] ?? "") }
    }

    /// `/report/meetings/{uuid|id}`: one instance's report.
    private func report(_ path: String) -> Response {
        guard let meeting = meeting(path, prefix: "/v2/report/meetings/", suffix: "") else { return violation("unknown path \(path)") }
        var fields: [String: Any] = ["uuid": meeting["uuid"]!, "id": Int64(meeting["id"]!) ?? 0, "topic": meeting["topic"] ?? "",
                                     "host_id": "hDemoHost01", "participants_count": participants[meeting["uuid"]!]?.count ?? 0]
        fields["start_time"] = meeting["start_time"]
        fields["end_time"] = meeting["end_time"]
        return Self.answer(200, String(decoding: try! JSONSerialization.data(withJSONObject: fields), as: UTF8.self))
    }

    /// `/past_meetings/{id}/instances`: every ended occurrence, one page.
    private func instances(_ path: String) -> Response {
        let id = String(path.dropFirst("/v2/past_meetings/".count).dropLast("/instances".count))
        let list = meetings.filter { $0["id"] == id && $0["end_time"] != nil }.map { ["uuid": $0["uuid"]!, "start_time": $0["start_time"]!] }
        return Self.answer(200, String(decoding: try! JSONSerialization.data(withJSONObject: ["meetings": list]), as: UTF8.self))
    }

    /// A Dashboard record as the Report API gives it: `name` and `user_email`, a duration, and no
    /// `participant_uuid` and no `leave_reason`.
    static func reportRow(_ record: [String: String]) -> [String: String] {
        var row: [String: String] = ["id": record["id"] ?? "", "user_id": record["user_id"] ?? "", "name": record["user_name"] ?? "",
                                     "user_email": record["email"] ?? "", "status": record["status"] ?? "in_meeting"]
        row["join_time"] = record["join_time"]
        row["leave_time"] = record["leave_time"]
        if let join = ZoomTime.parse(record["join_time"]), let leave = ZoomTime.parse(record["leave_time"]) {
            row["duration"] = String(Int(leave.timeIntervalSince(join)))
        }
        return row
    }

    private func page(_ items: [[String: String]], key: String, offset: Int, size: Int, scope: String) -> Response {
        let end = min(offset + size, items.count)
        var next = ""
        if end < items.count {
            next = "\(scope):\(end)"
            state.withLock { _ = $0.pageTokens.insert(next) }
        }
        let body: [String: Any] = [key: Array(items[min(offset, items.count)..<end]), "next_page_token": next,
                                   "page_size": size, "total_records": items.count]
        return Self.answer(200, String(decoding: try! JSONSerialization.data(withJSONObject: body), as: UTF8.self))
    }

    /// Most requests in any one-second window: what the rate limiter let through.
    var busiestSecond: Int { busiest(nil, window: .seconds(1)) }

    /// Most requests of a class (every class: nil) that arrived within any `window`.
    func busiest(_ rateClass: ZoomRateClass?, window: Duration) -> Int {
        let times = state.withLock { state in rateClass.map { state.arrivals[$0] ?? [] } ?? state.requestTimes }
        var most = 0, start = 0
        for end in times.indices {
            while times[end] - times[start] >= window { start += 1 }
            most = max(most, end - start + 1)
        }
        return most
    }

    static func query(_ text: String?) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in (text ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            fields[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return fields
    }

    static func answer(_ status: Int, _ json: String, headers: [(String, String)] = []) -> Response {
        var fields: HTTPFields = [.contentType: "application/json"]
        for (name, value) in headers { if let name = HTTPField.Name(name) { fields[name] = value } }
        return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: json)))
    }
}

/// The Dashboard's six months, as the contract server checks them (the client's own rule is
/// `BackfillRange.dashboardEarliest`; this is the same rule written again, on purpose).
enum BackfillWindow {
    static func earliest(_ now: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let date = calendar.date(byAdding: .month, value: -6, to: calendar.startOfDay(for: now))!
        return String(ZoomTime.format(date).prefix(10))
    }
}

extension ZoomRateClass {
    /// `X-RateLimit-Category` as Zoom writes it.
    var label: String {
        switch self {
        case .medium: "Medium"
        case .heavy: "Heavy"
        case .resourceIntensive: "Resource-intensive"
        }
    }
}

func header(_ request: Request, _ name: String) -> String? {
    request.headers.first { $0.name.canonicalName == name }?.value
}
