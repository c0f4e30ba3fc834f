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
        let text = try Self.documentation()
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

    /// Each key's row in docs/configuration.md shows the declared default, and a secret's row its `_FILE`.
    @Test func theDocumentedDefaultsAreTheDeclaredOnes() throws {
        var rows: [String: (defaultCell: String, keyCell: String)] = [:]
        for line in try Self.documentation().split(separator: "\n") where line.hasPrefix("| `LOOKOUT_") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 4, let name = cells[1].firstMatch(of: /LOOKOUT_[A-Z0-9_]+/)?.output else { continue }
            rows[String(name)] = rows[String(name)] ?? (cells[2], cells[1])
        }
        for section in ConfigurationKeys.sections {
            for key in section.keys {
                let row = try #require(rows[key.name], "\(key.name) has no row in docs/configuration.md")
                if let shown = key.shownDefault {
                    #expect(row.defaultCell.contains("`\(shown)`"), "\(key.name): declared default \(shown), documented \(row.defaultCell)")
                }
                #expect(row.keyCell.contains("/ `_FILE`") == key.isSecret, "\(key.name): a secret's row names `_FILE`, no other row does")
            }
        }
    }

    @Test func everyDeclaredNameIsOneKeyInOneSection() {
        let names = ConfigurationKeys.sections.flatMap(\.keys).map(\.name)
        #expect(Set(names).count == names.count, "declared twice: \(Dictionary(grouping: names, by: { $0 }).filter { $1.count > 1 }.keys.sorted())")
        #expect(names.allSatisfy { $0.hasPrefix("LOOKOUT_") })
        let secretFiles = Set(ConfigurationKeys.sections.flatMap(\.keys).filter(\.isSecret).map { $0.name + "_FILE" })
        #expect(secretFiles.isDisjoint(with: names), "a secret's _FILE is not a key of its own")
        #expect(ConfigurationKeys.sections.flatMap(\.keys).allSatisfy { !$0.summary.isEmpty && !$0.summary.contains("\n") })
    }

    /// A key declared in ConfigurationKeys.swift but left out of its section's `keys` would escape
    /// `config check`, `--help` and the docs test: every name written there is in a section.
    @Test func everyKeyWrittenInTheCatalogueIsInASection() throws {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/LookoutCore/ConfigurationKeys.swift")
        let written = Set(try String(contentsOf: source, encoding: .utf8).matches(of: /"(LOOKOUT_[A-Z0-9_]+)"/).map { String($0.output.1) })
        #expect(written.count > 80)
        let missing = written.subtracting(ConfigurationKeys.all).subtracting(ConfigurationKeys.operations).filter { !$0.hasSuffix("_") }
        #expect(missing.isEmpty, "declared but in no section: \(missing.sorted())")
    }

    static func documentation() throws -> String {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/configuration.md")
        return try String(contentsOf: docs, encoding: .utf8)
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
