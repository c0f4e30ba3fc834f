import Foundation
import LookoutCore
import CurlHTTP
import Projections

/// One table's CSV for an existing Zoho Analytics table, imported with the v2 API:
/// `POST /restapi/v2/workspaces/<ws>/views/<view>/data?CONFIG={...}`, multipart `FILE`,
/// `updateadd` on the table's stable key column so a row uploaded twice is updated, not doubled.
/// What is sent is a file of the rows Zoho has not accepted yet (`ZohoUploadPlan`).
public struct ZohoImport: Sendable, Equatable {
    /// The table name in logs and in the upload state.
    public let table: String
    public let view: String
    /// The stable row key (`disconnection_id`, `incident_id`).
    public let matchingColumn: String
    public let csv: String

    public init(table: String, view: String, matchingColumn: String, csv: String) {
        self.table = table
        self.view = view
        self.matchingColumn = matchingColumn
        self.csv = csv
    }

    /// The dates of the CSVs (`ZohoCSV`: ISO 8601 UTC) in Zoho's Java-style pattern.
    public static let dateFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'"

    /// Header row only: nothing to upload.
    public var isEmpty: Bool { !csv.drop { $0 != "\n" }.dropFirst().contains { !$0.isWhitespace } }

    /// The import's CONFIG, keys sorted; written as text, so it cannot fail to encode.
    public var config: String {
        #"{"autoIdentify":true,"dateFormat":"# + JSONString.literal(Self.dateFormat) + #","fileType":"csv","importType":"updateadd","#
            + #""matchingColumns":["# + JSONString.literal(matchingColumn) + #"],"onError":"abort"}"#
    }

    /// The import of `file` (this table's header and some of its rows) with `token`.
    public func request(_ settings: ZohoSettings, file: String, token: String) -> OutboundRequest {
        let form = MultipartForm(files: [.init(field: "FILE", fileName: "\(table).csv", contentType: "text/csv",
                                               contents: Array(file.utf8))])
        let headers: [(name: String, value: String)] = [("Authorization", "Zoho-oauthtoken \(token)"),
                                                        ("ZANALYTICS-ORGID", settings.orgID),
                                                        ("Content-Type", form.contentType)]
        let url = "\(settings.serverURL)/restapi/v2/workspaces/\(FormEncoding.component(settings.workspaceID))"
            + "/views/\(FormEncoding.component(view))/data?CONFIG=\(FormEncoding.component(config))"
        return OutboundRequest(url: url, method: "POST", headers: headers, body: form.body, timeout: .seconds(120))
    }
}

extension ZohoImport {
    /// The two tables Lookout fills: disconnections and incidents, from the current projections.
    public static func jobs(_ snapshot: ProjectionSnapshot, settings: ZohoSettings, privacy: ExportPrivacy,
                            windowSeconds: Int) -> [ZohoImport] {
        [ZohoImport(table: "disconnections", view: settings.disconnectionsView, matchingColumn: "disconnection_id",
                    csv: ZohoCSV.disconnections(snapshot, privacy: privacy)),
         ZohoImport(table: "incidents", view: settings.incidentsView, matchingColumn: "incident_id",
                    csv: ZohoCSV.incidents(snapshot, privacy: privacy, windowSeconds: windowSeconds))]
    }
}
