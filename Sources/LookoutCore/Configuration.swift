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

    /// The value of a declared key: its default (or a required key's error) when unset, an error
    /// naming the key and what it expects when malformed. A secret may come from `NAME_FILE`.
    public func value<Value>(_ setting: Setting<Value>) throws(ConfigurationError) -> Value {
        recorder?.note(setting.name, default: setting.shownDefault, secret: setting.isSecret)
        let text = setting.isSecret ? try secretText(setting.name) : raw(setting.name)
        guard let text else { return try setting.absent() }
        guard let value = setting.parse(text) else {
            // A secret's text is never repeated, not even in an error.
            let shown = setting.isSecret ? "" : ", got \"\(text.prefix(80))\""
            throw ConfigurationError(key: setting.name, problem: "expected \(setting.expected)\(shown)")
        }
        return value
    }

    /// Whether a declared key is set (for a secret: inline or as `NAME_FILE`).
    public func isSet<Value>(_ setting: Setting<Value>) -> Bool {
        raw(setting.name) != nil || (setting.isSecret && raw(setting.name + "_FILE") != nil)
    }

    /// A variable whose name is not Lookout's but configured (a notify hook's `url_env`).
    public func variable(_ name: String) -> String? {
        recorder?.note(name, default: nil)
        return raw(name)
    }

    /// A secret given either inline (`KEY`) or as a file path (`KEY_FILE`), never both; nil if
    /// neither is set. Surrounding whitespace (a file's last newline) is not part of it.
    private func secretText(_ key: String) throws(ConfigurationError) -> String? {
        recorder?.note(key + "_FILE", default: nil)
        switch (raw(key), raw(key + "_FILE")) {
        case (.some, .some):
            throw ConfigurationError(key: key, problem: "set either \(key) or \(key)_FILE, not both")
        case (.some(let value), nil):
            return value.trimmingCharacters(in: .whitespacesAndNewlines)
        case (nil, .some(let path)):
            guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ConfigurationError(key: key + "_FILE", problem: "cannot read \(path)")
            }
            let value = contents.trimmingCharacters(in: .whitespacesAndNewlines)
            // An empty file is a mistake (a secret not mounted yet), not "unset": `isSet` says it is set.
            guard !value.isEmpty else { throw ConfigurationError(key: key + "_FILE", problem: "\(path) is empty") }
            return value
        case (nil, nil):
            return nil
        }
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
