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
        let dataCenterText = configuration.string("LOOKOUT_ZOHO_DATA_CENTER", default: "com")
        guard let dataCenter = ZohoDataCenter(dataCenterText) else {
            throw ConfigurationError(key: "LOOKOUT_ZOHO_DATA_CENTER",
                                     problem: "expected one of \(ZohoDataCenter.domains.joined(separator: ", ")), got \"\(dataCenterText)\"")
        }
        let orgID = configuration.optionalString("LOOKOUT_ZOHO_ORG_ID")
        let workspace = configuration.optionalString("LOOKOUT_ZOHO_WORKSPACE_ID")
        let disconnections = configuration.optionalString("LOOKOUT_ZOHO_DISCONNECTIONS_VIEW_ID")
        let incidents = configuration.optionalString("LOOKOUT_ZOHO_INCIDENTS_VIEW_ID")
        let serverURL = configuration.string("LOOKOUT_ZOHO_API_URL", default: dataCenter.analyticsURL)
        func required(_ key: String, _ value: String?) throws(ConfigurationError) -> String {
            guard let value else { throw ConfigurationError(key: key, problem: "required for the Zoho upload") }
            return value
        }
        guard let orgID else {
            throw ConfigurationError(key: "LOOKOUT_ZOHO_ORG_ID", problem: """
                required for the Zoho upload: Zoho Analytics' v2 API refuses every call without the \
                ZANALYTICS-ORGID header (your organisation id; GET /restapi/v2/orgs lists it)
                """)
        }
        let workspaceID = try required("LOOKOUT_ZOHO_WORKSPACE_ID", workspace)
        let disconnectionsView = try required("LOOKOUT_ZOHO_DISCONNECTIONS_VIEW_ID", disconnections)
        let incidentsView = try required("LOOKOUT_ZOHO_INCIDENTS_VIEW_ID", incidents)
        self.init(serverURL: serverURL, workspaceID: workspaceID, disconnectionsView: disconnectionsView,
                  incidentsView: incidentsView, orgID: orgID,
                  authorization: try ZohoAuthorization(configuration: configuration, dataCenter: dataCenter))
    }

    public var description: String {
        "ZohoSettings(server: \(serverURL), workspace: \(workspaceID), org: \(orgID), \(authorization))"
    }
}
