import Foundation
import Logging
import LookoutCore
import LookoutTestSupport
import CurlHTTP
import Synchronization
import Testing
@testable import ZohoAnalytics

@Suite struct ZohoUploaderTests {
    static let client = ZohoOAuthClient(tokenURL: "https://accounts.zoho.com/oauth/v2/token", clientID: "cid",
                                        clientSecret: "csecret", refreshToken: "rtoken")

    func settings(_ authorization: ZohoAuthorization = .refreshToken(client)) -> ZohoSettings {
        ZohoSettings(serverURL: "https://analyticsapi.zoho.com", workspaceID: "ws", disconnectionsView: "v1",
                     incidentsView: "v2", orgID: "org-1", authorization: authorization)
    }

    func uploader(_ transport: ScriptedTransport, _ ledger: MemoryLedger, authorization: ZohoAuthorization = .refreshToken(client),
                  maxFileBytes: Int = ZohoUploadPlan.maxFileBytes) -> ZohoUploader {
        var logger = Logger(label: "zoho-test")
        logger.logLevel = .critical
        return ZohoUploader(settings: settings(authorization), tokens: ZohoAccessTokens(authorization, transport: transport),
                            transport: transport, ledger: ledger, retry: RetryPolicy(initial: .milliseconds(1), maximum: .milliseconds(4), attempts: 4),
                            maxFileBytes: maxFileBytes, logger: logger)
    }

    /// Issues `token-N` for each refresh; imports answer `imports(request, n)`, n counting from 1.
    static func zoho(_ imports: @escaping @Sendable (OutboundRequest, Int) -> OutboundResponse) -> ScriptedTransport {
        let counts = Mutex((tokens: 0, imports: 0))
        return ScriptedTransport { request in
            if request.url.hasSuffix("/oauth/v2/token") {
                let n = counts.withLock { $0.tokens += 1; return $0.tokens }
                return json(200, #"{"access_token":"token-\#(n)","expires_in":3600,"api_domain":"https://www.zohoapis.com","token_type":"Bearer"}"#)
            }
            let n = counts.withLock { $0.imports += 1; return $0.imports }
            return imports(request, n)
        }
    }

    func job(_ rows: [(String, String)]) -> ZohoImport {
        ZohoImport(table: "disconnections", view: "v1", matchingColumn: "disconnection_id", csv: csv(rows))
    }

    @Test func theSecondUploadSendsOnlyTheChangedRowsAndAnUnchangedTableNothing() async throws {
        let transport = Self.zoho { _, _ in importSucceeded }
        let ledger = MemoryLedger()
        let upload = uploader(transport, ledger)
        #expect(try await upload.upload(job([("d1", "Ada"), ("d2", "Grace")])) == .uploaded(rows: 2, files: 1, withdrawn: 0))
        #expect(try await upload.upload(job([("d1", "Ada"), ("d2", "Grace")])) == .unchanged)
        #expect(try await upload.upload(job([("d1", "Ada"), ("d2", "Grace Hopper"), ("d3", "Alan")])) == .uploaded(rows: 2, files: 1, withdrawn: 0))
        let imports = transport.imports
        #expect(imports.count == 2)
        #expect(uploadedCSV(imports[1]) == csv([("d2", "Grace Hopper"), ("d3", "Alan")]))
        for request in imports {
            #expect(request.headers.contains { $0.name == "ZANALYTICS-ORGID" && $0.value == "org-1" })
            #expect(request.headers.contains { $0.name == "Authorization" && $0.value == "Zoho-oauthtoken token-1" })
        }
        #expect(transport.requests.count == 3, "one token for all three uploads")
        #expect(try await upload.upload(job([("d1", "Ada"), ("d2", "Grace Hopper"), ("d3", "Alan")]), full: true)
                == .uploaded(rows: 3, files: 1, withdrawn: 0))
    }

    @Test func aLockedTableIsRetriedWithBackoffAndRecordedOnce() async throws {
        let transport = Self.zoho { _, n in n <= 2 ? zohoFailure(400, code: 7092, "Table is locked by another import") : importSucceeded }
        let ledger = MemoryLedger()
        #expect(try await uploader(transport, ledger).upload(job([("d1", "Ada")])) == .uploaded(rows: 1, files: 1, withdrawn: 0))
        #expect(transport.imports.count == 3)
        #expect(ledger.rowCount == 1)

        let locked = Self.zoho { _, _ in zohoFailure(400, code: 7092, "Table is locked by another import") }
        let nothing = MemoryLedger()
        await #expect(throws: ZohoError.self) { try await uploader(locked, nothing).upload(job([("d1", "Ada")])) }
        #expect(locked.imports.count == 4, "attempts")
        #expect(nothing.rowCount == 0)
    }

    @Test func anExpiredTokenIsRenewedOnceThenTheRefusalIsFinal() async throws {
        let transport = Self.zoho { request, _ in
            request.headers.contains { $0.value == "Zoho-oauthtoken token-1" } ? zohoFailure(401, code: 8535, "Invalid oauthtoken") : importSucceeded
        }
        #expect(try await uploader(transport, MemoryLedger()).upload(job([("d1", "Ada")])) == .uploaded(rows: 1, files: 1, withdrawn: 0))
        #expect(transport.requests.filter { $0.url.hasSuffix("/oauth/v2/token") }.count == 2)
        #expect(transport.imports.count == 2)

        let refusing = Self.zoho { _, _ in zohoFailure(401, code: 8535, "Invalid oauthtoken") }
        let ledger = MemoryLedger()
        await #expect(throws: ZohoError.self) { try await uploader(refusing, ledger).upload(job([("d1", "Ada")])) }
        #expect(refusing.imports.count == 2, "one renewal, not a loop")
        #expect(ledger.rowCount == 0)

        let fixed = Self.zoho { _, _ in zohoFailure(401, code: 8535, "Invalid oauthtoken") }
        await #expect(throws: ZohoError.authorizationRefused("401, code 8535: Invalid oauthtoken")) {
            try await uploader(fixed, MemoryLedger(), authorization: .accessToken("static")).upload(job([("d1", "Ada")]))
        }
        #expect(fixed.requests.count == 1, "a static token cannot be renewed")
    }

    @Test func aRevokedRefreshTokenStopsWithoutAnImport() async throws {
        let transport = ScriptedTransport { request in
            request.url.hasSuffix("/oauth/v2/token") ? json(200, #"{"error":"invalid_code"}"#) : importSucceeded
        }
        await #expect(throws: ZohoError.authorizationRefused("token refresh at the accounts server: invalid_code")) {
            try await uploader(transport, MemoryLedger()).upload(job([("d1", "Ada")]))
        }
        #expect(transport.imports.isEmpty)
        #expect(transport.requests.count == 1, "a refusal is not retried")
    }

    @Test func aLargeTableGoesInSeveralFilesAndAFailedFileIsAllThatIsSentAgain() async throws {
        let rows = (0..<40).map { ("d\($0)", String(repeating: "n", count: 40)) }
        let failSecond = Self.zoho { _, n in n == 2 ? zohoFailure(400, code: 7507, "Value does not follow the data type") : importSucceeded }
        let ledger = MemoryLedger()
        await #expect(throws: ZohoError.self) { try await uploader(failSecond, ledger, maxFileBytes: 1000).upload(job(rows)) }
        let accepted = ledger.rowCount
        #expect(accepted > 0 && accepted < 40)

        let transport = Self.zoho { _, _ in importSucceeded }
        let outcome = try await uploader(transport, ledger, maxFileBytes: 1000).upload(job(rows))
        guard case .uploaded(let sent, let files, _) = outcome else { Issue.record("\(outcome)"); return }
        #expect(sent == 40 - accepted)
        #expect(files == transport.imports.count)
        for request in transport.imports { #expect(uploadedCSV(request).utf8.count <= 1000) }
        #expect(ledger.rowCount == 40)
    }

    @Test func theImportIsAnUpdateaddOnTheRowKeyWithTheCSVAsMultipartFile() throws {
        let settings = ZohoSettings(serverURL: "https://analyticsapi.zoho.eu/", workspaceID: "ws 1", disconnectionsView: "v1",
                                    incidentsView: "v2", orgID: "org9", authorization: .accessToken("tok"))
        let job = ZohoImport(table: "disconnections", view: "v1", matchingColumn: "disconnection_id", csv: "\"disconnection_id\"\n\"d1\"\n")
        let config = try #require(JSONSerialization.jsonObject(with: Data(job.config.utf8)) as? [String: Any])
        #expect(config["importType"] as? String == "updateadd")
        #expect(config["matchingColumns"] as? [String] == ["disconnection_id"])
        #expect(config["fileType"] as? String == "csv")
        let request = job.request(settings, file: job.csv, token: "tok")
        #expect(request.url.hasPrefix("https://analyticsapi.zoho.eu/restapi/v2/workspaces/ws%201/views/v1/data?CONFIG=%7B"))
        #expect(request.headers.contains { $0.name == "Authorization" && $0.value == "Zoho-oauthtoken tok" })
        #expect(request.headers.contains { $0.name == "ZANALYTICS-ORGID" && $0.value == "org9" })
        let body = String(decoding: request.body, as: UTF8.self)
        #expect(body.contains("Content-Disposition: form-data; name=\"FILE\"; filename=\"disconnections.csv\"\r\nContent-Type: text/csv\r\n\r\n\"disconnection_id\"\n\"d1\"\n\r\n--"))
        #expect(!job.isEmpty)
        #expect(ZohoImport(table: "t", view: "v", matchingColumn: "k", csv: "\"k\"\n").isEmpty)
    }
}
