import LookoutCore

/// How the upload gets its OAuth access token (scope `ZohoAnalytics.data.create`).
public enum ZohoAuthorization: Sendable, Equatable, CustomStringConvertible {
    /// The documented way: a Zoho API client's id and secret and a refresh token, exchanged at the
    /// data centre's accounts server for access tokens (valid one hour) as they are needed.
    case refreshToken(ZohoOAuthClient)
    /// An access token someone else keeps fresh (tests, a one-off upload): it expires within the
    /// hour and cannot be renewed here.
    case accessToken(String)

    typealias Key = ConfigurationKeys.Zoho
    static let refreshKeys = [Key.clientID.name, Key.clientSecret.name, Key.refreshToken.name]

    init(configuration: Configuration, dataCenter: ZohoDataCenter) throws(ConfigurationError) {
        let tokenURL = try configuration.value(Key.oauthURL) ?? dataCenter.tokenURL
        let values = [try configuration.value(Key.clientID),
                      try configuration.value(Key.clientSecret),
                      try configuration.value(Key.refreshToken)]
        let token = try configuration.value(Key.token)
        let grant = zip(Self.refreshKeys, values)
        guard values.contains(where: { $0 != nil }) else {
            guard let token else {
                throw ConfigurationError(key: Key.refreshToken.name, problem: """
                    required for the Zoho upload, with \(Key.clientID.name) and \(Key.clientSecret.name) \
                    (secrets inline or as _FILE); a static \(Key.token.name) works only for the hour it is valid
                    """)
            }
            self = .accessToken(token)
            return
        }
        if token != nil {
            throw ConfigurationError(key: Key.token.name,
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
