import Foundation
import CurlHTTP
import LookoutTestSupport
import Synchronization
@testable import ZohoAnalytics

extension ScriptedTransport {
    /// The requests that were Zoho Analytics imports (not token requests).
    var imports: [OutboundRequest] { requests.filter { $0.url.contains("/restapi/v2/") } }
}

/// The ledger in memory, for the uploader's unit tests (the MongoDB one runs in IntegrationTests).
typealias MemoryLedger = InMemoryZohoLedger

func json(_ status: Int, _ text: String) -> OutboundResponse {
    OutboundResponse(status: status, headers: [("Content-Type", "application/json")], body: Array(text.utf8))
}

let importSucceeded = json(200, #"{"status":"success","summary":"Import data","data":{"importSummary":{"importType":"UPDATEADD"}}}"#)

func zohoFailure(_ status: Int, code: Int, _ message: String) -> OutboundResponse {
    json(status, #"{"status":"failure","summary":"\#(message)","data":{"errorCode":\#(code),"errorMessage":"\#(message)"}}"#)
}

/// The CSV file of a multipart import request.
func uploadedCSV(_ request: OutboundRequest) -> String {
    let body = String(decoding: request.body, as: UTF8.self)
    guard let start = body.range(of: "Content-Type: text/csv\r\n\r\n"), let end = body.range(of: "\r\n--", range: start.upperBound..<body.endIndex) else { return "" }
    return String(body[start.upperBound..<end.lowerBound])
}

func csv(_ rows: [(String, String)]) -> String {
    (["\"disconnection_id\",\"participant\""] + rows.map { "\"\($0.0)\",\"\($0.1)\"" }).joined(separator: "\n") + "\n"
}
