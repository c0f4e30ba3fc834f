import Foundation
import Testing
@testable import LookoutCore

@Suite struct ConfigurationKeysTests {
    @Test func secretsAreNeverShown() {
        #expect(ConfigurationDisplay.masked("tok-1,tok-2", key: "LOOKOUT_ZOOM_SECRET_TOKEN") == "(hidden, 2 values)")
        #expect(ConfigurationDisplay.masked("s", key: "LOOKOUT_EXPORT_PSEUDONYM_SALT") == "(hidden)")
        #expect(ConfigurationDisplay.masked("anything", key: "LOOKOUT_SOMETHING", secret: true) == "(hidden)")
        #expect(ConfigurationDisplay.masked("/run/secrets/zoom", key: "LOOKOUT_ZOOM_SECRET_TOKEN_FILE") == "/run/secrets/zoom")
    }

    @Test func urlsLoseOnlyTheirPassword() {
        #expect(ConfigurationDisplay.masked("amqp://lookout:p@ss:w0rd@rabbit:5672/", key: "LOOKOUT_AMQP_URL")
                == "amqp://lookout:****@rabbit:5672/")
        #expect(ConfigurationDisplay.masked("amqp://a:x@r1:5672/,amqp://a:y@r2:5672/%2f", key: "LOOKOUT_AMQP_URL")
                == "amqp://a:****@r1:5672/,amqp://a:****@r2:5672/%2f")
        #expect(ConfigurationDisplay.masked("mongodb://db:27017/lookout?w=majority", key: "LOOKOUT_MONGO_URI")
                == "mongodb://db:27017/lookout?w=majority")
        #expect(ConfigurationDisplay.masked("mongodb://user@db/x", key: "LOOKOUT_MONGO_URI") == "mongodb://user@db/x")
    }

    @Test func unknownKeysAreNamedWithTheNearestKnownOne() throws {
        let typo = try #require(ConfigurationKeys.unknown("LOOKOUT_NOTFY_WINDOW_MS"))
        #expect(typo.suggestion == "LOOKOUT_NOTIFY_WINDOW_MS")
        #expect(ConfigurationKeys.unknown("LOOKOUT_SOMETHING_ELSE_ENTIRELY")?.suggestion == nil)
        #expect(ConfigurationKeys.unknown("LOOKOUT_HTTP_PORT") == nil)
        #expect(ConfigurationKeys.unknown("LOOKOUT_AMQP_PORT") == nil, "read by ops/services")
        #expect(ConfigurationKeys.unknown("LOOKOUT_TEST_AMQP_URL") == nil)
    }

    /// docs/configuration.md and the catalogue name the same keys.
    @Test func everyKeyIsDocumentedAndEveryDocumentedKeyIsKnown() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/configuration.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        // Lines showing a misspelt key on purpose are not documentation of a key.
        let lines = text.split(separator: "\n").filter { !$0.contains("typo") && !$0.contains("not a Lookout key") }
        let documented = Set(lines.flatMap { $0.matches(of: /LOOKOUT_[A-Z0-9_]+/).map { String($0.output) } })
        // A secret's row reads "`LOOKOUT_X` / `_FILE`".
        let undocumented = ConfigurationKeys.all.filter { key in
            !documented.contains(key) && !(key.hasSuffix("_FILE") && documented.contains(String(key.dropLast(5))))
        }
        #expect(undocumented.isEmpty, "not in docs/configuration.md: \(undocumented.sorted())")
        let unknown = documented.filter { ConfigurationKeys.unknown($0) != nil && !$0.hasSuffix("_") }
        #expect(unknown.isEmpty, "documented but unknown to `lookout config check`: \(unknown.sorted())")
    }
}

@Suite struct ShippedConfigurationTests {
    /// The systemd example is a valid configuration file with nothing but known keys.
    @Test func theExampleEnvironmentFileReadsCleanly() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("ops/systemd/lookout.env.example")
        let entries = try ConfigurationFile.parse(try String(contentsOf: example, encoding: .utf8), path: example.path)
        #expect(entries.count >= 5)
        let unknown = entries.compactMap { ConfigurationKeys.unknown($0.key) }
        #expect(unknown.isEmpty, "\(unknown)")
    }
}
