import Foundation
import Hummingbird
import Logging
import CurlHTTP
import LookoutTestSupport
import Synchronization
import Testing
import ZohoAnalytics

/// Zoho's accounts server (refresh-token grant) and Analytics v2 import endpoint as REFERENCE.md
/// documents them, on loopback. Every request is checked (form fields and client credentials of a
/// refresh; token, `ZANALYTICS-ORGID`, workspace/view, CONFIG, multipart FILE and its 20 MB limit
/// of an import) and what is wrong is recorded as a violation. Tokens expire (401, code 8535), a
/// table can be locked by "another import" (7092), and the first requests can fail (503).
final class FakeZohoAnalytics: Sendable {
    static let clientID = "1000.LOOKOUTTEST", clientSecret = "zoho-client-secret", refreshToken = "1000.zoho-refresh-token"
    static let orgID = "org-1", workspace = "ws-1"
    static let keys = ["view-disc": "disconnection_id", "view-inc": "incident_id"]
    static let configKeys: Set<String> = ["importType", "fileType", "autoIdentify", "onError", "matchingColumns", "dateFormat", "delimiter",
                                          "quoted", "columnDateFormat", "skipTop"]

    struct State {
        /// view → row key → the row's CSV line.
        var tables: [String: [String: String]] = [:]
        /// Row keys of each accepted import, in order.
        var imports: [(view: String, keys: [String])] = []
        /// Import requests, whatever their answer.
        var requests = 0
        var tokenRequests = 0
        var refusedTokens = 0
        var lockedAnswers = 0
        /// Access token → expiry.
        var tokens: [String: Date] = [:]
        var tokenLifetime = 3600
        var failuresLeft = 0
        var locksLeft = 0
        var violations: [String] = []
    }

    let port = freePort()
    let state = Mutex(State())
    private let task = Mutex<Task<Void, any Error>?>(nil)

    /// The documented set-up: a refresh-token grant against this server's accounts endpoint.
    var settings: ZohoSettings {
        ZohoSettings(serverURL: "http://127.0.0.1:\(port)", workspaceID: Self.workspace, disconnectionsView: "view-disc",
                     incidentsView: "view-inc", orgID: Self.orgID,
                     authorization: .refreshToken(ZohoOAuthClient(tokenURL: "http://127.0.0.1:\(port)/oauth/v2/token", clientID: Self.clientID,
                                                                  clientSecret: Self.clientSecret, refreshToken: Self.refreshToken)))
    }

    /// Every issued token is expired from now on (what an hour does).
    func expireTokens() {
        state.withLock { state in for token in state.tokens.keys { state.tokens[token] = .distantPast } }
    }

    func start() async throws {
        let router = Router()
        router.post("/oauth/v2/token") { request, _ in try await self.token(request) }
        router.post("/restapi/v2/workspaces/:workspace/views/:view/data") { request, context in
            try await self.importData(request, workspace: context.parameters.get("workspace") ?? "", view: context.parameters.get("view") ?? "")
        }
        var logger = Logger(label: "fake-zoho")
        logger.logLevel = .error
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        task.withLock { $0 = Task { try await app.runService(gracefulShutdownSignals: []) } }
        try await eventually("the fake Zoho is up") {
            (try? await CurlTransport().send(OutboundRequest(url: "http://127.0.0.1:\(port)/", method: "GET"))) != nil
        }
    }

    func stop() { task.withLock { $0?.cancel() } }

    private func violation(_ why: String) { state.withLock { $0.violations.append(why) } }

    private func failure(_ status: Int, code: Int, _ why: String) -> Response {
        FakeZoomAPI.answer(status, #"{"status":"failure","summary":"\#(why)","data":{"errorCode":\#(code),"errorMessage":"\#(why)"}}"#)
    }

    /// `POST /oauth/v2/token`, form `refresh_token, client_id, client_secret, grant_type=refresh_token`.
    private func token(_ request: Request) async throws -> Response {
        state.withLock { $0.tokenRequests += 1 }
        if request.uri.query?.contains("client_secret") == true { violation("client secret in the token URL") }
        guard header(request, "content-type")?.hasPrefix("application/x-www-form-urlencoded") == true else {
            violation("token request not form-encoded")
            return FakeZoomAPI.answer(400, #"{"error":"invalid_request"}"#)
        }
        let form = FakeZoomAPI.query(String(buffer: try await request.body.collect(upTo: 64 * 1024)))
        guard Set(form.keys) == ["refresh_token", "client_id", "client_secret", "grant_type"] else {
            violation("token form fields \(form.keys.sorted())")
            return FakeZoomAPI.answer(400, #"{"error":"invalid_request"}"#)
        }
        guard form["grant_type"] == "refresh_token" else {
            violation("grant_type \(form["grant_type"] ?? "")")
            return FakeZoomAPI.answer(200, #"{"error":"unsupported_grant_type"}"#)
        }
        // Zoho answers refused grants with 200 and an error.
        guard form["client_id"] == Self.clientID, form["client_secret"] == Self.clientSecret else {
            return FakeZoomAPI.answer(200, #"{"error":"invalid_client"}"#)
        }
        guard form["refresh_token"] == Self.refreshToken else { return FakeZoomAPI.answer(200, #"{"error":"invalid_code"}"#) }
        let (token, lifetime) = state.withLock { state in
            let token = "1000.access-\(state.tokenRequests)-\(UUID().uuidString.prefix(8))"
            state.tokens[token] = Date().addingTimeInterval(TimeInterval(state.tokenLifetime))
            return (token, state.tokenLifetime)
        }
        return FakeZoomAPI.answer(200, #"{"access_token":"\#(token)","expires_in":\#(lifetime),"api_domain":"https://www.zohoapis.com","token_type":"Bearer"}"#)
    }

    private func importData(_ request: Request, workspace: String, view: String) async throws -> Response {
        state.withLock { $0.requests += 1 }
        guard let authorization = header(request, "authorization"), authorization.hasPrefix("Zoho-oauthtoken ") else {
            violation("no Zoho-oauthtoken authorization")
            return failure(401, code: 8518, "Invalid authentication")
        }
        let token = String(authorization.dropFirst("Zoho-oauthtoken ".count))
        let valid = state.withLock { state in state.tokens[token].map { $0 > Date() } ?? false }
        guard valid else {
            state.withLock { $0.refusedTokens += 1 }
            return failure(401, code: 8535, "Invalid oauthtoken")
        }
        guard header(request, "zanalytics-orgid") == Self.orgID else {
            violation("ZANALYTICS-ORGID \(header(request, "zanalytics-orgid") ?? "missing")")
            return failure(400, code: 8083, "Organization id is not present in the request header")
        }
        guard workspace == Self.workspace, let key = Self.keys[view] else {
            violation("no such workspace/view \(workspace)/\(view)")
            return failure(400, code: 7138, "The view id mentioned in the API URL does not exist")
        }
        let query = FakeZoomAPI.query(request.uri.query)
        guard let config = query["CONFIG"].flatMap({ try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }),
              config["importType"] as? String == "updateadd", config["fileType"] as? String == "csv",
              config["autoIdentify"] is Bool, ["abort", "skiprow", "setcolumnempty"].contains(config["onError"] as? String ?? ""),
              config["matchingColumns"] as? [String] == [key], config["dateFormat"] is String,
              Set(config.keys).isSubset(of: Self.configKeys) else {
            violation("bad CONFIG \(query["CONFIG"] ?? "none")")
            return failure(400, code: 8504, "The required parameter is not proper or has not been sent")
        }
        guard let type = header(request, "content-type"), type.hasPrefix("multipart/form-data; boundary="),
              let boundary = type.split(separator: "=", maxSplits: 1).last else {
            violation("not multipart")
            return failure(400, code: 7248, "The file content is not multipart/form-data format")
        }
        let body = String(buffer: try await request.body.collect(upTo: 24 * 1024 * 1024))
        let parts = body.components(separatedBy: "--\(boundary)")
        guard parts.last?.hasPrefix("--") == true,
              let file = parts.first(where: { $0.contains("Content-Disposition: form-data; name=\"FILE\"; filename=") }),
              let start = file.range(of: "\r\n\r\n") else {
            violation("no FILE part")
            return failure(400, code: 7248, "no FILE part")
        }
        let csv = String(file[start.upperBound...].dropLast(2))
        guard csv.utf8.count <= 20 * 1024 * 1024 else {
            violation("FILE of \(csv.utf8.count) bytes, over 20 MB")
            return failure(400, code: 7249, "The file cannot be imported")
        }
        let lines = csv.split(separator: "\n").map(String.init)
        guard let head = lines.first, head.hasPrefix("\"\(key)\""), lines.count > 1 else {
            violation("CSV without \(key) first or without rows")
            return failure(400, code: 7235, "Not even a single column name provided in source file matches")
        }
        let refusal = state.withLock { state -> Response? in
            if state.failuresLeft > 0 {
                state.failuresLeft -= 1
                return FakeZoomAPI.answer(503, "temporarily unavailable")
            }
            if state.locksLeft > 0 {
                state.locksLeft -= 1
                state.lockedAnswers += 1
                return failure(400, code: 7092, "The table is locked by another import. Try again later.")
            }
            return nil
        }
        if let refusal { return refusal }
        let rows = lines.dropFirst().map { line in (key: String(line.split(separator: ",")[0].dropFirst().dropLast()), line: line) }
        state.withLock { state in
            for row in rows { state.tables[view, default: [:]][row.key] = row.line }
            state.imports.append((view, rows.map(\.key)))
        }
        return FakeZoomAPI.answer(200, #"{"status":"success","summary":"Import data","data":{"importSummary":{"importType":"UPDATEADD","totalRowCount":\#(rows.count),"successRowCount":\#(rows.count)}}}"#)
    }
}
