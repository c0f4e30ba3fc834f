import Foundation
import Synchronization

/// Reads Lookout's settings: `LOOKOUT_*` environment variables, optionally completed by a file
/// named by `LOOKOUT_CONFIG_FILE` (the environment wins), and for secrets a `*_FILE` variant
/// naming a file (container secrets). Every failure names the key at fault.
public struct Configuration: Sendable {
    /// Where a value came from.
    public enum Origin: String, Sendable { case environment, file }

    private let values: [String: String]
    private let origins: [String: Origin]
    private let recorder: ConfigurationRecorder?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(values: environment, origins: environment.mapValues { _ in .environment }, recorder: nil)
    }

    private init(values: [String: String], origins: [String: Origin], recorder: ConfigurationRecorder?) {
        self.values = values
        self.origins = origins
        self.recorder = recorder
    }

    /// The environment, completed by the keys of the file `LOOKOUT_CONFIG_FILE` names (if any).
    /// `read` returns a file's text (nil if it cannot be read).
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment,
                            read: (String) -> String? = { try? String(contentsOfFile: $0, encoding: .utf8) })
        throws(ConfigurationError) -> Configuration {
        var values = environment
        var origins = environment.mapValues { _ in Origin.environment }
        if let path = environment["LOOKOUT_CONFIG_FILE"].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard let text = read(path) else {
                throw ConfigurationError(key: "LOOKOUT_CONFIG_FILE", problem: "cannot read \(path)")
            }
            for entry in try ConfigurationFile.parse(text, path: path) where values[entry.key] == nil {
                values[entry.key] = entry.value
                origins[entry.key] = .file
            }
        }
        return Configuration(values: values, origins: origins, recorder: nil)
    }

    /// The same values, with every lookup noted in `recorder` (for `lookout config check`).
    public func recording(into recorder: ConfigurationRecorder) -> Configuration {
        Configuration(values: values, origins: origins, recorder: recorder)
    }

    /// The `LOOKOUT_*` keys that are set, with where each came from.
    public var lookoutKeys: [String: Origin] {
        origins.filter { $0.key.hasPrefix("LOOKOUT_") }
    }

    public func origin(of key: String) -> Origin? { origins[key] }

    public func string(_ key: String, default value: String) -> String {
        let found = raw(key)
        recorder?.note(key, default: value)
        return found ?? value
    }

    public func optionalString(_ key: String) -> String? {
        recorder?.note(key, default: nil)
        return raw(key)
    }

    public func int(_ key: String, default value: Int, range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        recorder?.note(key, default: String(value))
        guard let text = raw(key) else { return value }
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
        recorder?.note(key, default: nil, secret: true)
        recorder?.note(key + "_FILE", default: nil)
        let inline = raw(key)
        let path = raw(key + "_FILE")
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

    /// A set value; empty counts as unset.
    private func raw(_ key: String) -> String? {
        values[key].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// Notes which keys a piece of code read, their defaults and which hold secrets.
public final class ConfigurationRecorder: Sendable {
    public struct Lookup: Sendable, Equatable {
        public let key: String
        public let defaultValue: String?
        public let isSecret: Bool
    }

    private let lookups = Mutex<[String: Lookup]>([:])

    public init() {}

    func note(_ key: String, default value: String?, secret: Bool = false) {
        lookups.withLock { table in
            let earlier = table[key]
            table[key] = Lookup(key: key, defaultValue: value ?? earlier?.defaultValue, isSecret: secret || earlier?.isSecret == true)
        }
    }

    public var recorded: [String: Lookup] { lookups.withLock { $0 } }
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
