import Foundation
import LookoutCore
import Exports
import Projections
import Testing
@testable import Dashboard

@Suite struct SettingsTests {
    func settings(_ environment: [String: String]) throws(ConfigurationError) -> DashboardSettings {
        let configuration = Configuration(environment: environment)
        return try DashboardSettings(configuration: configuration, exports: try ExportSettings(configuration: configuration),
                                     rules: ProjectionRules())
    }

    @Test func defaultsArePrivateWithTheFullViewOff() throws {
        let defaults = try settings([:])
        #expect(defaults.port == 8081)
        #expect(defaults.tokens.isEmpty)
        #expect(defaults.corsOrigins == ["*"])
        #expect(defaults.pollInterval == .seconds(1))
        #expect(defaults.defaultPeriod == .week)
        #expect(defaults.termStart == nil)
        #expect(defaults.exports.timeZone == .gmt)
        // No pseudonym key, no choice made: no names at all on the public view and in the exports.
        #expect(defaults.exports.privacy == .withheld)
        #expect(defaults.exports.privacy.displayName("Ada Lovelace") == nil)
        #expect(defaults.publicNames.hasPrefix("withheld"))
    }

    @Test func namesArePseudonymsWithAKeyAndRealOnlyWhenTheOperatorSaysSo() throws {
        let key = "a-pseudonym-key-of-the-school"
        let pseudonymous = try settings(["LOOKOUT_PSEUDONYM_KEY": key])
        #expect(pseudonymous.exports.privacy.displayName("Ada Lovelace")?.hasPrefix("Participant ") == true)
        #expect(pseudonymous.publicNames == "pseudonyms")
        let real = try settings(["LOOKOUT_EXPORT_PSEUDONYMIZE": "false"])
        #expect(real.exports.privacy == .everyone)
        #expect(real.publicNames == "real names")
        // An allow-list is a choice of whose real names to show.
        let allowed = try settings(["LOOKOUT_EXPORT_ALLOWED_NAMES": "Ada Lovelace"])
        #expect(allowed.exports.privacy.displayName("Ada Lovelace") == "Ada Lovelace")
        #expect(allowed.exports.privacy.displayName("Alan Turing") == nil)
        #expect { try settings(["LOOKOUT_EXPORT_PSEUDONYMIZE": "true"]) } throws: { ($0 as? ConfigurationError)?.key == "LOOKOUT_PSEUDONYM_KEY" }
        #expect { try settings(["LOOKOUT_EXPORT_PSEUDONYMIZE": "yes"]) } throws: { ($0 as? ConfigurationError)?.key == "LOOKOUT_EXPORT_PSEUDONYMIZE" }
    }

    @Test func oneTimeZoneForTheProductTheOldNamesWithAWarning() throws {
        #expect(try settings(["LOOKOUT_TIME_ZONE": "Europe/Paris"]).exports.timeZone.identifier == "Europe/Paris")
        let old = Configuration(environment: ["LOOKOUT_EXPORT_TIMEZONE": "Asia/Tokyo"])
        #expect(try settings(["LOOKOUT_EXPORT_TIMEZONE": "Asia/Tokyo"]).exports.timeZone.identifier == "Asia/Tokyo")
        #expect(TimeZoneSetting.warning(old) == "LOOKOUT_EXPORT_TIMEZONE is deprecated: set LOOKOUT_TIME_ZONE, the one time zone of the dashboard, the exports and Mattermost")
        let both = Configuration(environment: ["LOOKOUT_TIME_ZONE": "Europe/Paris", "LOOKOUT_NOTIFY_TIME_ZONE": "Asia/Tokyo"])
        #expect(try TimeZoneSetting.read(both, preferring: ConfigurationKeys.Notify.formerTimeZone).identifier == "Europe/Paris")
        #expect(TimeZoneSetting.warning(both) == "LOOKOUT_NOTIFY_TIME_ZONE is deprecated and ignored: LOOKOUT_TIME_ZONE is set")
        // The notifier's old key still serves it, and the dashboard when it is the only one.
        let notify = Configuration(environment: ["LOOKOUT_NOTIFY_TIME_ZONE": "Asia/Tokyo"])
        #expect(try TimeZoneSetting.read(notify, preferring: ConfigurationKeys.Export.formerTimeZone).identifier == "Asia/Tokyo")
        #expect(TimeZoneSetting.warning(Configuration(environment: [:])) == nil)
        #expect { try settings(["LOOKOUT_TIME_ZONE": "Mars/Olympus"]) } throws: { ($0 as? ConfigurationError)?.key == "LOOKOUT_TIME_ZONE" }
    }

    @Test func periodsAreConfigured() throws {
        let read = try settings(["LOOKOUT_WEB_DEFAULT_PERIOD": "30d", "LOOKOUT_WEB_TERM_START": "2026-09-01"])
        #expect(read.defaultPeriod == .month)
        #expect(read.termStart == .day(year: 2026, month: 9, day: 1))
        #expect { try settings(["LOOKOUT_WEB_TERM_START": "September"]) } throws: { ($0 as? ConfigurationError)?.key == "LOOKOUT_WEB_TERM_START" }
        #expect { try settings(["LOOKOUT_WEB_DEFAULT_PERIOD": "custom"]) } throws: { ($0 as? ConfigurationError)?.key == "LOOKOUT_WEB_DEFAULT_PERIOD" }
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
