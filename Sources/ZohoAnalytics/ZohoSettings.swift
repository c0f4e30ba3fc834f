import LookoutCore

/// Where the Zoho Analytics tables are and how to reach them; read from `LOOKOUT_ZOHO_*` keys.
public struct ZohoSettings: Sendable, CustomStringConvertible {
    /// `https://analyticsapi.zoho.com` (or the data centre's: `.eu`, `.in`, ...).
    public var serverURL: String
    public var workspaceID: String
    /// View (table) ids of the disconnection and incident tables.
    public var disconnectionsView: String
    public var incidentsView: String
    /// Sent as `ZANALYTICS-ORGID` (Zoho's v2 API asks for it); left out when not set.
    public var orgID: String?
    /// OAuth access token with scope `ZohoAnalytics.data.create`.
    public var accessToken: String

    public init(serverURL: String, workspaceID: String, disconnectionsView: String, incidentsView: String,
                orgID: String? = nil, accessToken: String) {
        self.serverURL = serverURL.hasSuffix("/") ? String(serverURL.dropLast()) : serverURL
        self.workspaceID = workspaceID
        self.disconnectionsView = disconnectionsView
        self.incidentsView = incidentsView
        self.orgID = orgID
        self.accessToken = accessToken
    }

    public init(configuration: Configuration) throws(ConfigurationError) {
        func required(_ key: String) throws(ConfigurationError) -> String {
            guard let value = configuration.optionalString(key) else { throw ConfigurationError(key: key, problem: "required for the Zoho upload") }
            return value
        }
        guard let token = try configuration.secrets("LOOKOUT_ZOHO_TOKEN").first else {
            throw ConfigurationError(key: "LOOKOUT_ZOHO_TOKEN", problem: "required for the Zoho upload (or LOOKOUT_ZOHO_TOKEN_FILE)")
        }
        self.init(serverURL: configuration.string("LOOKOUT_ZOHO_API_URL", default: "https://analyticsapi.zoho.com"),
                  workspaceID: try required("LOOKOUT_ZOHO_WORKSPACE_ID"),
                  disconnectionsView: try required("LOOKOUT_ZOHO_DISCONNECTIONS_VIEW_ID"),
                  incidentsView: try required("LOOKOUT_ZOHO_INCIDENTS_VIEW_ID"),
                  orgID: configuration.optionalString("LOOKOUT_ZOHO_ORG_ID"), accessToken: token)
    }

    public var description: String {
        "ZohoSettings(server: \(serverURL), workspace: \(workspaceID), token: <redacted>)"
    }
}
