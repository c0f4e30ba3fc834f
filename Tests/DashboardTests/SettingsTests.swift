import Foundation
import LookoutCore
import ProjectionWorker
import Projections
import Testing
@testable import Dashboard

@Suite struct SettingsTests {
    func settings(_ environment: [String: String]) throws(ConfigurationError) -> DashboardSettings {
        let configuration = Configuration(environment: environment)
        return try DashboardSettings(configuration: configuration, exports: try ExportSettings(configuration: configuration),
                                     rules: ProjectionRules())
    }

    @Test func defaultsServeEverythingPubliclyWithTheFullViewOff() throws {
        let defaults = try settings([:])
        #expect(defaults.port == 8081)
        #expect(defaults.tokens.isEmpty)
        #expect(defaults.corsOrigins == ["*"])
        #expect(defaults.pollInterval == .seconds(1))
        #expect(defaults.exports.privacy == .everyone)
    }

    @Test func keysAreRead() throws {
        let tokenFile = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-web-token-\(UUID().uuidString)")
        try "first-token-0123456789\nsecond-token-0123456789\n".write(to: tokenFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: tokenFile) }
        let read = try settings(["LOOKOUT_WEB_PORT": "9000", "LOOKOUT_WEB_TOKEN_FILE": tokenFile.path, "LOOKOUT_WEB_TITLE": "Lab",
                                 "LOOKOUT_WEB_CORS_ORIGIN": "https://a.example, https://b.example", "LOOKOUT_WEB_POLL_MS": "250",
                                 "LOOKOUT_EXPORT_ALLOWED_NAMES": "Ada Lovelace", "LOOKOUT_EXPORT_TIMEZONE": "Europe/Paris"])
        #expect(read.port == 9000)
        #expect(read.tokens == ["first-token-0123456789", "second-token-0123456789"])
        #expect(read.title == "Lab")
        #expect(read.corsOrigins == ["https://a.example", "https://b.example"])
        #expect(read.pollInterval == .milliseconds(250))
        #expect(read.exports.privacy.displayName("Grace Hopper") == nil)
        #expect(read.exports.timeZone.identifier == "Europe/Paris")
    }

    @Test(arguments: [(["LOOKOUT_WEB_TOKEN": "short"], "LOOKOUT_WEB_TOKEN"),
                      (["LOOKOUT_WEB_CORS_ORIGIN": "*, https://a.example"], "LOOKOUT_WEB_CORS_ORIGIN"),
                      (["LOOKOUT_WEB_PORT": "http"], "LOOKOUT_WEB_PORT"),
                      (["LOOKOUT_WEB_POLL_MS": "5"], "LOOKOUT_WEB_POLL_MS")])
    func badValuesNameTheirKey(_ environment: [String: String], _ key: String) {
        #expect { try settings(environment) } throws: { ($0 as? ConfigurationError)?.key == key }
    }
}
