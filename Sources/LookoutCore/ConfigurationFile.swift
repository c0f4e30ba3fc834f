import Foundation

/// The optional configuration file (`LOOKOUT_CONFIG_FILE`): the env-file format that systemd's
/// `EnvironmentFile=` and docker-compose's `env_file:` also read, so one file serves all three.
///
///     # comment
///     LOOKOUT_AMQP_URL=amqp://lookout:change-me@rabbit:5672/
///     export LOOKOUT_LOG_FORMAT=json
///     LOOKOUT_WEB_TITLE="Lookout — Physics"
///
/// Only `LOOKOUT_*` keys; a value may be wrapped in single or double quotes (kept literally, no
/// escapes or `$` expansion). Any other line is an error naming the file and line.
public enum ConfigurationFile {
    public struct Entry: Sendable, Equatable {
        public let key: String
        public let value: String
        public let line: Int
    }

    public static func parse(_ text: String, path: String = "config file") throws(ConfigurationError) -> [Entry] {
        var entries: [Entry] = []
        var seen: [String: Int] = [:]
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let number = index + 1
            var line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = line.dropFirst("export ".count).trimmingCharacters(in: .whitespaces) }
            func failure(_ why: String) -> ConfigurationError {
                ConfigurationError(key: "LOOKOUT_CONFIG_FILE", problem: "\(path) line \(number): \(why)")
            }
            guard let equals = line.firstIndex(of: "=") else { throw failure("expected KEY=VALUE") }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard key.hasPrefix("LOOKOUT_"), key.allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "_" }) else {
                throw failure("\"\(key.prefix(40))\" is not a LOOKOUT_* key")
            }
            guard key != "LOOKOUT_CONFIG_FILE" else { throw failure("LOOKOUT_CONFIG_FILE cannot name another file") }
            if let earlier = seen[key] { throw failure("\(key) already set on line \(earlier)") }
            seen[key] = number
            entries.append(Entry(key: key, value: try unquoted(line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces),
                                                                failure: failure), line: number))
        }
        return entries
    }

    private static func unquoted(_ value: String, failure: (String) -> ConfigurationError) throws(ConfigurationError) -> String {
        guard let first = value.first, first == "\"" || first == "'" else { return value }
        guard value.count >= 2, value.last == first else { throw failure("unterminated quote") }
        return String(value.dropFirst().dropLast())
    }
}
