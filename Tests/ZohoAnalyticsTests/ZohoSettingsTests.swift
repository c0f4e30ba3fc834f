import Foundation
import CurlHTTP
import LookoutCore
import Testing
@testable import ZohoAnalytics

@Suite struct ZohoSettingsTests {
    static let complete = [
        "LOOKOUT_ZOHO_ORG_ID": "org-9", "LOOKOUT_ZOHO_WORKSPACE_ID": "ws", "LOOKOUT_ZOHO_DISCONNECTIONS_VIEW_ID": "v1",
        "LOOKOUT_ZOHO_INCIDENTS_VIEW_ID": "v2", "LOOKOUT_ZOHO_CLIENT_ID": "1000.ABC",
        "LOOKOUT_ZOHO_CLIENT_SECRET": "client-secret-1", "LOOKOUT_ZOHO_REFRESH_TOKEN": "1000.refresh-token-1",
    ]

    func settings(_ changes: [String: String?]) throws(ConfigurationError) -> ZohoSettings {
        var environment = Self.complete
        for (key, value) in changes { environment[key] = value }
        return try ZohoSettings(configuration: Configuration(environment: environment))
    }

    func problem(_ changes: [String: String?]) -> ConfigurationError? {
        do { _ = try settings(changes); return nil } catch { return error }
    }

    @Test func theRefreshGrantIsTheDefaultAndTheDataCentrePicksBothServers() throws {
        let us = try settings([:])
        #expect(us.serverURL == "https://analyticsapi.zoho.com")
        #expect(us.orgID == "org-9")
        #expect(us.authorization == .refreshToken(ZohoOAuthClient(tokenURL: "https://accounts.zoho.com/oauth/v2/token", clientID: "1000.ABC",
                                                                  clientSecret: "client-secret-1", refreshToken: "1000.refresh-token-1")))
        let australia = try settings(["LOOKOUT_ZOHO_DATA_CENTER": "com.au"])
        #expect(australia.serverURL == "https://analyticsapi.zoho.com.au")
        guard case .refreshToken(let client) = australia.authorization else { Issue.record("not a refresh grant"); return }
        #expect(client.tokenURL == "https://accounts.zoho.com.au/oauth/v2/token")
        #expect(ZohoDataCenter.domains.compactMap(ZohoDataCenter.init).map(\.analyticsURL).count == 6)
        #expect(ZohoDataCenter(".eu")?.tokenURL == "https://accounts.zoho.eu/oauth/v2/token")
        let local = try settings(["LOOKOUT_ZOHO_API_URL": "http://127.0.0.1:9/", "LOOKOUT_ZOHO_OAUTH_URL": "http://127.0.0.1:9/oauth/v2/token"])
        #expect(local.serverURL == "http://127.0.0.1:9")
    }

    @Test func theOrgIDIsRequiredWithAMessageSayingWhy() throws {
        let error = try #require(problem(["LOOKOUT_ZOHO_ORG_ID": nil]))
        #expect(error.key == "LOOKOUT_ZOHO_ORG_ID")
        #expect(error.problem.contains("ZANALYTICS-ORGID"))
        #expect(error.problem.contains("required"))
    }

    @Test func credentialsAreCompleteOrAStaticTokenNeverBoth() throws {
        #expect(problem(["LOOKOUT_ZOHO_REFRESH_TOKEN": nil])?.key == "LOOKOUT_ZOHO_REFRESH_TOKEN")
        #expect(problem(["LOOKOUT_ZOHO_CLIENT_ID": nil])?.key == "LOOKOUT_ZOHO_CLIENT_ID")
        #expect(problem(["LOOKOUT_ZOHO_TOKEN": "tok"])?.key == "LOOKOUT_ZOHO_TOKEN")
        let none = try #require(problem(["LOOKOUT_ZOHO_CLIENT_ID": nil, "LOOKOUT_ZOHO_CLIENT_SECRET": nil, "LOOKOUT_ZOHO_REFRESH_TOKEN": nil]))
        #expect(none.key == "LOOKOUT_ZOHO_REFRESH_TOKEN")
        #expect(none.problem.contains("LOOKOUT_ZOHO_CLIENT_ID") && none.problem.contains("LOOKOUT_ZOHO_TOKEN"))
        let fixed = try settings(["LOOKOUT_ZOHO_CLIENT_ID": nil, "LOOKOUT_ZOHO_CLIENT_SECRET": nil, "LOOKOUT_ZOHO_REFRESH_TOKEN": nil,
                                  "LOOKOUT_ZOHO_TOKEN": "static-1"])
        #expect(fixed.authorization == .accessToken("static-1"))
        #expect(problem(["LOOKOUT_ZOHO_DATA_CENTER": "zoho.de"])?.key == "LOOKOUT_ZOHO_DATA_CENTER")
    }

    @Test func secretsComeFromFilesAndAreNeverDescribed() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("zoho-secret-\(UUID().uuidString)")
        try "secret-from-file\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let settings = try settings(["LOOKOUT_ZOHO_CLIENT_SECRET": nil, "LOOKOUT_ZOHO_CLIENT_SECRET_FILE": file.path])
        guard case .refreshToken(let client) = settings.authorization else { Issue.record("not a refresh grant"); return }
        #expect(client.clientSecret == "secret-from-file")
        for text in ["\(settings)", "\(client)", "\(ZohoAuthorization.accessToken("static-1"))"] {
            #expect(!text.contains("secret-from-file") && !text.contains("refresh-token-1") && !text.contains("static-1"), "\(text)")
        }
    }
}

@Suite struct ZohoTokenRefreshTests {
    let client = ZohoOAuthClient(tokenURL: "https://accounts.zoho.eu/oauth/v2/token", clientID: "1000.ABC",
                                 clientSecret: "s&cret", refreshToken: "1000.r=t")

    @Test func asksTheDataCentresAccountsServerWithTheFourFormFields() {
        let request = ZohoTokenRefresh.request(client)
        #expect(request.url == "https://accounts.zoho.eu/oauth/v2/token")
        #expect(request.method == "POST")
        #expect(request.headers.contains { $0.name == "Content-Type" && $0.value == "application/x-www-form-urlencoded" })
        #expect(String(decoding: request.body, as: UTF8.self)
                == "refresh_token=1000.r%3Dt&client_id=1000.ABC&client_secret=s%26cret&grant_type=refresh_token")
    }

    @Test func readsTheGrantAndTellsARefusalFromAPause() throws {
        let grant = try ZohoTokenRefresh.grant(status: 200, body: Array(#"{"access_token":"1000.a","expires_in":3600,"api_domain":"https://www.zohoapis.eu","token_type":"Bearer"}"#.utf8))
        #expect(grant == OAuthGrant(accessToken: "1000.a", lifetime: 3600))
        let older = try ZohoTokenRefresh.grant(status: 200, body: Array(#"{"access_token":"1000.b","expires_in_sec":3600,"expires_in":3600000}"#.utf8))
        #expect(older.lifetime == 3600)
        #expect(throws: ZohoError.authorizationRefused("token refresh at the accounts server: invalid_code")) {
            try ZohoTokenRefresh.grant(status: 200, body: Array(#"{"error":"invalid_code"}"#.utf8))
        }
        #expect(throws: ZohoError.self) { try ZohoTokenRefresh.grant(status: 400, body: Array(#"{"error":"invalid_client"}"#.utf8)) }
        #expect(throws: ZohoTransientFailure.self) {
            try ZohoTokenRefresh.grant(status: 400, body: Array(#"{"error":"Access Denied","error_description":"You have made too many requests continuously."}"#.utf8))
        }
        #expect(throws: ZohoTransientFailure.self) { try ZohoTokenRefresh.grant(status: 502, body: []) }
    }
}
