import LookoutCore

/// Where the Zoho Analytics tables are and how to reach them; read from `LOOKOUT_ZOHO_*` keys.
public struct ZohoSettings: Sendable, CustomStringConvertible {
    /// `https://analyticsapi.zoho.<data centre>`.
    public var serverURL: String
    public var workspaceID: String
    /// View (table) ids of the disconnection and incident tables.
    public var disconnectionsView: String
    public var incidentsView: String
    /// Sent as `ZANALYTICS-ORGID`: Zoho's v2 API refuses every call without it.
    public var orgID: String
    public var authorization: ZohoAuthorization

    public init(serverURL: String, workspaceID: String, disconnectionsView: String, incidentsView: String,
                orgID: String, authorization: ZohoAuthorization) {
        self.serverURL = serverURL.hasSuffix("/") ? String(serverURL.dropLast()) : serverURL
        self.workspaceID = workspaceID
        self.disconnectionsView = disconnectionsView
        self.incidentsView = incidentsView
        self.orgID = orgID
        self.authorization = authorization
    }

    public init(configuration: Configuration) throws(ConfigurationError) {
        typealias Key = ConfigurationKeys.Zoho
        let dataCenterText = try configuration.value(Key.dataCenter)
        guard let dataCenter = ZohoDataCenter(dataCenterText) else {
            throw ConfigurationError(key: Key.dataCenter.name,
                                     problem: "expected one of \(ZohoDataCenter.domains.joined(separator: ", ")), got \"\(dataCenterText)\"")
        }
        let orgID = try configuration.value(Key.orgID)
        let workspace = Result { () throws(ConfigurationError) in try configuration.value(Key.workspaceID) }
        let disconnections = Result { () throws(ConfigurationError) in try configuration.value(Key.disconnectionsViewID) }
        let incidents = Result { () throws(ConfigurationError) in try configuration.value(Key.incidentsViewID) }
        let serverURL = try configuration.value(Key.apiURL) ?? dataCenter.analyticsURL
        guard let orgID else {
            throw ConfigurationError(key: Key.orgID.name, problem: """
                required for the Zoho upload: Zoho Analytics' v2 API refuses every call without the \
                ZANALYTICS-ORGID header (your organisation id; GET /restapi/v2/orgs lists it)
                """)
        }
        self.init(serverURL: serverURL, workspaceID: try workspace.get(), disconnectionsView: try disconnections.get(),
                  incidentsView: try incidents.get(), orgID: orgID,
                  authorization: try ZohoAuthorization(configuration: configuration, dataCenter: dataCenter))
    }

    public var description: String {
        "ZohoSettings(server: \(serverURL), workspace: \(workspaceID), org: \(orgID), \(authorization))"
    }
}
