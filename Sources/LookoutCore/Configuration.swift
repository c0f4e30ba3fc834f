import Foundation

/// Reads Lookout's settings from the environment: `LOOKOUT_*` keys, and for secrets a `*_FILE`
/// variant naming a file (container secrets). Every failure names the key at fault.
public struct Configuration: Sendable {
    private let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public func string(_ key: String, default value: String) -> String {
        environment[key].flatMap { $0.isEmpty ? nil : $0 } ?? value
    }

    public func optionalString(_ key: String) -> String? {
        environment[key].flatMap { $0.isEmpty ? nil : $0 }
    }

    public func int(_ key: String, default value: Int, range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let text = optionalString(key) else { return value }
        guard let number = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(number) else {
            throw ConfigurationError(key: key, problem: "expected a whole number in \(range.lowerBound)...\(range.upperBound), got \"\(text)\"")
        }
        return number
    }

    public func milliseconds(_ key: String, default value: Int, range: ClosedRange<Int>) throws(ConfigurationError) -> Duration {
        .milliseconds(try int(key, default: value, range: range))
    }

    /// A secret given either inline (`KEY`) or as a file path (`KEY_FILE`), never both; nil if
    /// neither is set. Surrounding whitespace (a file's last newline) is not part of it.
    public func secret(_ key: String) throws(ConfigurationError) -> String? {
        let inline = optionalString(key)
        let path = optionalString(key + "_FILE")
        switch (inline, path) {
        case (.some, .some):
            throw ConfigurationError(key: key, problem: "set either \(key) or \(key)_FILE, not both")
        case (.some(let value), nil):
            return value.trimmingCharacters(in: .whitespacesAndNewlines)
        case (nil, .some(let path)):
            guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ConfigurationError(key: key + "_FILE", problem: "cannot read \(path)")
            }
            return contents.trimmingCharacters(in: .whitespacesAndNewlines)
        case (nil, nil):
            return nil
        }
    }

    /// Several secrets in one `secret(key)`, comma- or line-separated (one per Zoom app, or old
    /// and new during rotation).
    public func secrets(_ key: String) throws(ConfigurationError) -> [String] {
        guard let text = try secret(key) else { return [] }
        return text.split(whereSeparator: { $0 == "," || $0.isNewline })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }
}

public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let key: String
    public let problem: String

    public init(key: String, problem: String) {
        self.key = key
        self.problem = problem
    }

    public var description: String { "configuration \(key): \(problem)" }
}
