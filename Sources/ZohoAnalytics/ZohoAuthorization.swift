import LookoutCore

/// How the upload gets its OAuth access token (scope `ZohoAnalytics.data.create`).
public enum ZohoAuthorization: Sendable, Equatable, CustomStringConvertible {
    /// The documented way: a Zoho API client's id and secret and a refresh token, exchanged at the
    /// data centre's accounts server for access tokens (valid one hour) as they are needed.
    case refreshToken(ZohoOAuthClient)
    /// An access token someone else keeps fresh (tests, a one-off upload): it expires within the
    /// hour and cannot be renewed here.
    case accessToken(String)

    static let refreshKeys = ["LOOKOUT_ZOHO_CLIENT_ID", "LOOKOUT_ZOHO_CLIENT_SECRET", "LOOKOUT_ZOHO_REFRESH_TOKEN"]

    init(configuration: Configuration, dataCenter: ZohoDataCenter) throws(ConfigurationError) {
        let tokenURL = configuration.string("LOOKOUT_ZOHO_OAUTH_URL", default: dataCenter.tokenURL)
        let values = [configuration.optionalString("LOOKOUT_ZOHO_CLIENT_ID"),
                      try configuration.secret("LOOKOUT_ZOHO_CLIENT_SECRET"),
                      try configuration.secret("LOOKOUT_ZOHO_REFRESH_TOKEN")]
        let token = try configuration.secret("LOOKOUT_ZOHO_TOKEN")
        let grant = zip(Self.refreshKeys, values)
        guard values.contains(where: { $0 != nil }) else {
            guard let token, !token.isEmpty else {
                throw ConfigurationError(key: "LOOKOUT_ZOHO_REFRESH_TOKEN", problem: """
                    required for the Zoho upload, with LOOKOUT_ZOHO_CLIENT_ID and LOOKOUT_ZOHO_CLIENT_SECRET \
                    (secrets inline or as _FILE); a static LOOKOUT_ZOHO_TOKEN works only for the hour it is valid
                    """)
            }
            self = .accessToken(token)
            return
        }
        if token != nil {
            throw ConfigurationError(key: "LOOKOUT_ZOHO_TOKEN",
                                     problem: "set either the refresh-token grant (\(Self.refreshKeys.joined(separator: ", "))) or a static token, not both")
        }
        if let missing = grant.first(where: { $0.1 == nil }) {
            throw ConfigurationError(key: missing.0, problem: "required with the other keys of the refresh-token grant (\(Self.refreshKeys.joined(separator: ", ")))")
        }
        self = .refreshToken(ZohoOAuthClient(tokenURL: tokenURL, clientID: values[0]!, clientSecret: values[1]!, refreshToken: values[2]!))
    }

    public var description: String {
        switch self {
        case .refreshToken(let client): "\(client)"
        case .accessToken: "static access token <redacted>"
        }
    }
}

/// A Zoho API client (a "Self Client" of the API console will do) and the refresh token it was
/// granted. The description never shows the secret or the token.
public struct ZohoOAuthClient: Sendable, Equatable, CustomStringConvertible {
    /// `https://accounts.zoho.<data centre>/oauth/v2/token`.
    public var tokenURL: String
    public var clientID: String
    public var clientSecret: String
    public var refreshToken: String

    public init(tokenURL: String, clientID: String, clientSecret: String, refreshToken: String) {
        self.tokenURL = tokenURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.refreshToken = refreshToken
    }

    public var description: String { "refresh-token grant at \(tokenURL), client \(clientID), secret and refresh token <redacted>" }
}
