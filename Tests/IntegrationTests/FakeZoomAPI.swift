import Foundation
import Hummingbird
import Logging
import OutboundHTTP
import Synchronization
import Testing
import ZoomAPI

/// Zoom's OAuth and Dashboard/Report API as REFERENCE.md documents them, on loopback. It checks
/// every request (credentials, bearer token, path, query) and records what it finds wrong; it
/// expires tokens after a few requests (401), and can answer 429 or 500 now and then.
final class FakeZoomAPI: Sendable {
    static let accountID = "DemoAccount01", clientID = "client-1", clientSecret = "secret-1"

    struct Behaviour: Sendable {
        /// API requests a token is good for before it answers 401 "expired".
        var tokenLifetime = 6
        /// Every n-th API request gets a 500 (0: never).
        var serverErrorEvery = 0
        /// Share of API requests answered 429, spread evenly.
        var rateLimitedShare = 0.0
    }

    struct State {
        var tokens: [String: Int] = [:]
        var tokensIssued = 0
        var apiRequests = 0
        var participantRequests = 0
        var rateLimited = 0
        var serverErrors = 0
        var requestTimes: [ContinuousClock.Instant] = []
        var violations: [String] = []
        var pageTokens: Set<String> = []
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
        return Self.answer(200, #"{"access_token":"\#(value)","token_type":"bearer","expires_in":3600,"scope":"dashboard_meetings:read:admin","api_url":"http://127.0.0.1:\#(port)"}"#)
    }

    private enum Gate { case pass, expired, limited, failed }

    private func api(_ request: Request) -> Response {
        let bearer = header(request, "authorization") ?? ""
        let gate = state.withLock { state -> Gate? in
            state.apiRequests += 1
            state.requestTimes.append(.now)
            guard bearer.hasPrefix("Bearer "), let left = state.tokens[String(bearer.dropFirst(7))] else { return nil }
            guard left > 0 else { return .expired }
            state.tokens[String(bearer.dropFirst(7))] = left - 1
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
        case .limited: return Self.answer(429, #"{"code":429,"message":"You have reached the maximum per-second rate limit for this API."}"#)
        case .failed: return Self.answer(500, #"{"code":500,"message":"Internal error"}"#)
        case .pass: break
        }
        let path = request.uri.path
        let query = Self.query(request.uri.query)
        guard let size = query["page_size"].flatMap(Int.init), (1...300).contains(size) else { return violation("page_size in \(path)") }
        if let token = query["next_page_token"], !state.withLock({ $0.pageTokens.contains(token) }) {
            return violation("unknown next_page_token \(token)")
        }
        let offset = query["next_page_token"].flatMap { Int($0.split(separator: ":").last ?? "") } ?? 0
        if path == "/v2/metrics/meetings" {
            guard query["type"] == "past" else { return violation("metrics/meetings type") }
            guard let from = query["from"], let to = query["to"], from.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil,
                  to.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil, from <= to else { return violation("metrics/meetings from/to") }
            let inRange = meetings.filter {
                let day = String(($0["start_time"] ?? "").prefix(10))
                return day >= from && day <= to
            }
            return page(inRange, key: "meetings", offset: offset, size: size, scope: "m\(from)\(to)")
        }
        for meeting in meetings {
            let uuid = meeting["uuid"]!
            let encoded = MeetingHistory.pathComponent(uuid)
            if path == "/v2/metrics/meetings/\(encoded)/participants" {
                guard query["type"] == "past" else { return violation("participants type") }
                state.withLock { $0.participantRequests += 1 }
                return page(participants[uuid] ?? [], key: "participants", offset: offset, size: size, scope: "p\(uuid)")
            }
        }
        return violation("unknown path \(path)")
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
    var busiestSecond: Int {
        let times = state.withLock { $0.requestTimes }
        var most = 0, start = 0
        for end in times.indices {
            while times[end] - times[start] >= .seconds(1) { start += 1 }
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

    static func answer(_ status: Int, _ json: String) -> Response {
        Response(status: .init(code: status), headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(string: json)))
    }
}

func header(_ request: Request, _ name: String) -> String? {
    request.headers.first { $0.name.canonicalName == name }?.value
}
