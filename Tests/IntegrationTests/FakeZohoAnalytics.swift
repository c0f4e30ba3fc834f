import Foundation
import Hummingbird
import Logging
import OutboundHTTP
import Synchronization
import Testing
import ZohoAnalytics

/// Zoho Analytics' v2 import endpoint on loopback: checks the token header, CONFIG and the
/// multipart FILE, applies `updateadd` to a table per view, and can fail the first requests.
final class FakeZohoAnalytics: Sendable {
    static let token = "zoho-token", workspace = "ws-1"
    static let keys = ["view-disc": "disconnection_id", "view-inc": "incident_id"]

    struct State {
        /// view → row key → the row's CSV line.
        var tables: [String: [String: String]] = [:]
        var requests = 0
        var failuresLeft = 0
        var violations: [String] = []
    }

    let port = freePort()
    let state = Mutex(State())
    private let task = Mutex<Task<Void, any Error>?>(nil)

    var settings: ZohoSettings {
        ZohoSettings(serverURL: "http://127.0.0.1:\(port)", workspaceID: Self.workspace, disconnectionsView: "view-disc",
                     incidentsView: "view-inc", orgID: "org-1", accessToken: Self.token)
    }

    func start() async throws {
        let router = Router()
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

    private func refuse(_ status: Int, _ why: String, violation: Bool = true) -> Response {
        if violation { state.withLock { $0.violations.append(why) } }
        return FakeZoomAPI.answer(status, #"{"status":"failure","summary":"\#(why)","data":{"errorCode":7103,"errorMessage":"\#(why)"}}"#)
    }

    private func importData(_ request: Request, workspace: String, view: String) async throws -> Response {
        let failNow = state.withLock { state -> Bool in
            state.requests += 1
            guard state.failuresLeft > 0 else { return false }
            state.failuresLeft -= 1
            return true
        }
        if failNow { return refuse(503, "temporarily unavailable", violation: false) }
        guard header(request, "authorization") == "Zoho-oauthtoken \(Self.token)" else { return refuse(401, "invalid oauth token", violation: false) }
        guard header(request, "zanalytics-orgid") == "org-1" else { return refuse(400, "ZANALYTICS-ORGID missing") }
        guard workspace == Self.workspace, let key = Self.keys[view] else { return refuse(404, "no such workspace/view \(workspace)/\(view)") }
        let query = FakeZoomAPI.query(request.uri.query)
        guard let config = query["CONFIG"].flatMap({ try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }),
              config["importType"] as? String == "updateadd", config["fileType"] as? String == "csv",
              config["autoIdentify"] as? Bool != nil, config["matchingColumns"] as? [String] == [key] else {
            return refuse(400, "bad CONFIG \(query["CONFIG"] ?? "none")")
        }
        guard let type = header(request, "content-type"), type.hasPrefix("multipart/form-data; boundary="),
              let boundary = type.split(separator: "=", maxSplits: 1).last else { return refuse(400, "not multipart") }
        let body = String(buffer: try await request.body.collect(upTo: 20 * 1024 * 1024))
        let parts = body.components(separatedBy: "--\(boundary)")
        guard parts.last?.hasPrefix("--") == true,
              let file = parts.first(where: { $0.contains("Content-Disposition: form-data; name=\"FILE\"; filename=") }),
              let start = file.range(of: "\r\n\r\n") else { return refuse(400, "no FILE part") }
        let csv = String(file[start.upperBound...].dropLast(2))
        let lines = csv.split(separator: "\n").map(String.init)
        guard let head = lines.first, head.hasPrefix("\"\(key)\"") else { return refuse(400, "CSV without \(key) first") }
        state.withLock { state in
            for line in lines.dropFirst() {
                state.tables[view, default: [:]][String(line.split(separator: ",")[0])] = line
            }
        }
        return FakeZoomAPI.answer(200, #"{"status":"success","summary":"Import data","data":{"importSummary":{"importType":"UPDATEADD","totalRowCount":\#(lines.count - 1),"successRowCount":\#(lines.count - 1)}}}"#)
    }
}
