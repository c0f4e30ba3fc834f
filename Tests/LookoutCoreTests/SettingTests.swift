import Foundation
import Testing
@testable import LookoutCore

@Suite struct SettingTests {
    private func read<Value>(_ setting: Setting<Value>, _ environment: [String: String]) throws(ConfigurationError) -> Value {
        try Configuration(environment: environment).value(setting)
    }

    private func problem<Value>(_ setting: Setting<Value>, _ environment: [String: String]) -> ConfigurationError? {
        do { _ = try read(setting, environment); return nil } catch { return error }
    }

    @Test func unsetIsTheDeclaredDefaultAndSetIsParsed() throws {
        let port = ConfigurationKeys.Receive.port
        #expect(try read(port, [:]) == 8080)
        #expect(try read(port, ["LOOKOUT_HTTP_PORT": " 9000 "]) == 9000)
        #expect(try read(port, ["LOOKOUT_HTTP_PORT": ""]) == 8080, "empty counts as unset")
        #expect(try read(ConfigurationKeys.Receive.bodyTimeout, ["LOOKOUT_BODY_TIMEOUT_MS": "250"]) == .milliseconds(250))
        #expect(try read(ConfigurationKeys.Web.corsOrigin, ["LOOKOUT_WEB_CORS_ORIGIN": "https://a.example, ,https://b.example"])
                == ["https://a.example", "https://b.example"])
        #expect(try read(ConfigurationKeys.Shared.logLevel, ["LOOKOUT_LOG_LEVEL": "DEBUG"]) == .debug)
    }

    /// A typo is an error naming the key and what it wants, never a silent default.
    @Test func aMalformedValueIsAnErrorNamingTheKey() {
        let error = problem(ConfigurationKeys.Receive.port, ["LOOKOUT_HTTP_PORT": "80a"])
        #expect(error?.key == "LOOKOUT_HTTP_PORT")
        #expect(error?.problem == "expected a whole number in 0...65535, got \"80a\"")
        #expect(problem(ConfigurationKeys.Receive.port, ["LOOKOUT_HTTP_PORT": "70000"]) != nil, "out of range")
        #expect(problem(ConfigurationKeys.Shared.logFormat, ["LOOKOUT_LOG_FORMAT": "yaml"])?.problem
                == "expected one of text, json, got \"yaml\"")
    }

    /// Optional values: a value that does not parse must not pass for "unset".
    @Test func aMalformedOptionalValueIsNotTakenForUnset() {
        #expect(problem(ConfigurationKeys.Export.pseudonymize, ["LOOKOUT_EXPORT_PSEUDONYMIZE": "yes"])?.key == "LOOKOUT_EXPORT_PSEUDONYMIZE")
        #expect(problem(ConfigurationKeys.Shared.timeZone, ["LOOKOUT_TIME_ZONE": "Mars/Olympus"])?.key == "LOOKOUT_TIME_ZONE")
        #expect(problem(ConfigurationKeys.Backfill.heavyRate, ["LOOKOUT_ZOOM_HEAVY_RATE": "fast"])?.key == "LOOKOUT_ZOOM_HEAVY_RATE")
        #expect((try? read(ConfigurationKeys.Export.pseudonymize, [:])) == .some(nil))
        #expect((try? read(ConfigurationKeys.Export.pseudonymize, ["LOOKOUT_EXPORT_PSEUDONYMIZE": "FALSE"])) == false)
    }

    @Test func aRequiredKeySaysWhyWhenUnset() {
        let error = problem(ConfigurationKeys.Backfill.clientSecret, [:])
        #expect(error?.key == "LOOKOUT_ZOOM_CLIENT_SECRET")
        #expect(error?.problem == "required for the backfill (or LOOKOUT_ZOOM_CLIENT_SECRET_FILE)")
        #expect(problem(ConfigurationKeys.Backfill.accountID, [:])?.problem == "required for the backfill")
    }

    @Test func aSecretComesInlineOrFromItsFileAndIsNeverRepeated() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-setting-\(UUID().uuidString)")
        try "tok-1,tok-2\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let token = ConfigurationKeys.Receive.secretToken
        #expect(try read(token, ["LOOKOUT_ZOOM_SECRET_TOKEN_FILE": file.path]) == ["tok-1", "tok-2"])
        #expect(try read(token, ["LOOKOUT_ZOOM_SECRET_TOKEN": "a\nb"]) == ["a", "b"])
        #expect(problem(token, ["LOOKOUT_ZOOM_SECRET_TOKEN": "a", "LOOKOUT_ZOOM_SECRET_TOKEN_FILE": file.path])?.problem
                == "set either LOOKOUT_ZOOM_SECRET_TOKEN or LOOKOUT_ZOOM_SECRET_TOKEN_FILE, not both")
        #expect(problem(token, ["LOOKOUT_ZOOM_SECRET_TOKEN_FILE": "/nonexistent/secret"])?.key == "LOOKOUT_ZOOM_SECRET_TOKEN_FILE")
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-setting-\(UUID().uuidString)")
        try " \n".write(to: empty, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(problem(token, ["LOOKOUT_ZOOM_SECRET_TOKEN_FILE": empty.path])?.problem == "\(empty.path) is empty")
        // A secret that does not parse is reported without its text.
        let rate = Setting<Int>("LOOKOUT_TEST_SECRET_NUMBER", "a secret number", shownDefault: nil, secret: true,
                                expected: "a number", parse: { Int($0) }, absent: { 0 })
        let error = problem(rate, ["LOOKOUT_TEST_SECRET_NUMBER": "hunter2"])
        #expect(error?.problem == "expected a number")
        #expect(error.map { !"\($0)".contains("hunter2") } == true)
    }

    @Test func theCommandHelpListsASectionsKeysAndTheirFiles() throws {
        let help = try #require(ConfigurationKeys.section("web")).help
        #expect(help.hasPrefix("Keys: LOOKOUT_WEB_HOST, LOOKOUT_WEB_PORT, LOOKOUT_WEB_TOKEN (or _FILE),"))
        #expect(help.hasSuffix("LOOKOUT_WEB_TERM_START."))
    }

    /// A renamed key stays declared (still read, `config check` shows it) but `--help` names its successor only.
    @Test func aReplacedKeyNamesADeclaredSuccessorAndIsLeftOutOfHelp() throws {
        let keys = ConfigurationKeys.sections.flatMap(\.keys)
        let replaced = keys.filter { $0.replacement != nil }
        #expect(Set(replaced.map(\.name)) == ["LOOKOUT_EXPORT_TIMEZONE", "LOOKOUT_EXPORT_PSEUDONYM_SALT",
                                               "LOOKOUT_NOTIFY_TIME_ZONE", "LOOKOUT_NOTIFY_PSEUDONYM_KEY"])
        for key in replaced {
            #expect(keys.contains { $0.name == key.replacement && $0.replacement == nil }, "\(key.name)")
        }
        let help = try #require(ConfigurationKeys.section("notify")).help
        #expect(!help.contains("LOOKOUT_NOTIFY_TIME_ZONE") && help.contains("LOOKOUT_NOTIFY_WINDOW_MS"))
    }
}
