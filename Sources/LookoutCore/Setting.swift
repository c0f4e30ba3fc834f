import Foundation

/// One configuration key, declared once: its name, what it holds, its default, its range, whether
/// it is a secret, and a line saying what it does. The settings read it
/// (`try configuration.value(key)`), `lookout config check` reports it, each command's `--help`
/// lists it, and a test holds docs/configuration.md to it. Every key is in `ConfigurationKeys`.
public struct Setting<Value: Sendable>: Sendable {
    public let name: String
    /// One line: what the key does.
    public let summary: String
    /// The default as an operator writes it (`8080`); nil when there is none to write (a required
    /// key, or one whose absence means "off"). docs/configuration.md shows the same.
    public let shownDefault: String?
    /// A secret may be given as a file (`NAME_FILE`) and is never printed.
    public let isSecret: Bool
    /// The key that replaces this one: still read when that is unset, with a warning at start,
    /// and left out of `--help`.
    public private(set) var replacement: String?
    /// What a value must look like, for the error naming a bad one.
    let expected: String
    /// nil: malformed. (For an optional `Value`, a parsed nil is `.some(nil)`: write
    /// `.map(Optional.some)` so that a value that does not parse is not taken for "unset".)
    let parse: @Sendable (String) -> Value?
    let absent: @Sendable () throws(ConfigurationError) -> Value

    public init(_ name: String, _ summary: String, shownDefault: String?, secret: Bool = false, expected: String,
                parse: @escaping @Sendable (String) -> Value?,
                absent: @escaping @Sendable () throws(ConfigurationError) -> Value) {
        self.name = name
        self.summary = summary
        self.shownDefault = shownDefault
        self.isSecret = secret
        self.expected = expected
        self.parse = parse
        self.absent = absent
    }

    /// The key without its type, for the catalogue.
    public var info: SettingInfo {
        SettingInfo(name: name, summary: summary, shownDefault: shownDefault, isSecret: isSecret, replacement: replacement)
    }

    /// The same key, deprecated in favour of `newer`.
    public func replaced<Other>(by newer: Setting<Other>) -> Setting {
        var copy = self
        copy.replacement = newer.name
        return copy
    }

    /// The value when the key is unset (settings types start from it, so a default is written
    /// once). A required key has none: asking for it is a programming error.
    public var defaultValue: Value {
        do { return try absent() } catch { preconditionFailure("\(name) is required: it has no default") }
    }

    /// The same key, required: unset is the error "required <why>" (`why`: "for the backfill").
    public func required<Wrapped>(_ why: String) -> Setting<Wrapped> where Value == Wrapped? {
        let name = self.name, parse = self.parse, secret = isSecret
        return Setting<Wrapped>(name, summary, shownDefault: nil, secret: secret, expected: expected,
                                parse: { parse($0) ?? nil },
                                absent: { () throws(ConfigurationError) in
                                    throw ConfigurationError(key: name, problem: "required \(why)" + (secret ? " (or \(name)_FILE)" : ""))
                                })
    }
}

/// A key of the catalogue without its type.
public struct SettingInfo: Sendable, Hashable {
    public let name: String
    public let summary: String
    public let shownDefault: String?
    public let isSecret: Bool
    public let replacement: String?

    public init(name: String, summary: String, shownDefault: String?, isSecret: Bool, replacement: String? = nil) {
        self.name = name
        self.summary = summary
        self.shownDefault = shownDefault
        self.isSecret = isSecret
        self.replacement = replacement
    }
}

extension Setting where Value == String {
    public static func text(_ name: String, default value: String, _ summary: String) -> Setting {
        Setting(name, summary, shownDefault: value, expected: "text", parse: { $0 }, absent: { value })
    }
}

extension Setting where Value == String? {
    /// Unset is nil (nothing configured); `required(_:)` makes it an error.
    public static func optionalText(_ name: String, _ summary: String) -> Setting {
        Setting(name, summary, shownDefault: nil, expected: "text", parse: { $0 }, absent: { nil })
    }

    /// A secret, given inline or as the path of a file holding it (`NAME_FILE`), never both.
    public static func secret(_ name: String, _ summary: String) -> Setting {
        Setting(name, summary, shownDefault: nil, secret: true, expected: "text", parse: { $0 }, absent: { nil })
    }
}

extension Setting where Value == Int {
    public static func whole(_ name: String, default value: Int, in range: ClosedRange<Int>, _ summary: String) -> Setting {
        Setting(name, summary, shownDefault: String(value),
                expected: "a whole number in \(range.lowerBound)...\(range.upperBound)",
                parse: { text in Int(text.trimmingCharacters(in: .whitespaces)).flatMap { range.contains($0) ? $0 : nil } },
                absent: { value })
    }
}

extension Setting where Value == Duration {
    /// A duration written in whole milliseconds (`_MS` keys).
    public static func milliseconds(_ name: String, default value: Int, in range: ClosedRange<Int>, _ summary: String) -> Setting {
        let number = Setting<Int>.whole(name, default: value, in: range, summary)
        return Setting(name, summary, shownDefault: number.shownDefault, expected: number.expected,
                       parse: { number.parse($0).map { .milliseconds($0) } }, absent: { .milliseconds(value) })
    }
}

extension Setting where Value == [String] {
    /// Comma-separated values, surrounding spaces and empty entries dropped; unset: `value`.
    public static func list(_ name: String, default value: [String], _ summary: String) -> Setting {
        Setting(name, summary, shownDefault: value.isEmpty ? nil : value.joined(separator: ","),
                expected: "comma-separated values", parse: { splitList($0, lines: false) }, absent: { value })
    }

    /// Several secrets in one secret key, comma- or line-separated (one per app, or old and new
    /// during rotation); unset: none.
    public static func secrets(_ name: String, _ summary: String) -> Setting {
        Setting(name, summary, shownDefault: nil, secret: true, expected: "comma-separated values",
                parse: { splitList($0, lines: true) }, absent: { [] })
    }

    static func splitList(_ text: String, lines: Bool) -> [String] {
        text.split(whereSeparator: { $0 == "," || (lines && $0.isNewline) })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }
}

extension Setting where Value == Bool? {
    /// `true` or `false`; unset is nil (the reader decides what that means).
    public static func flag(_ name: String, _ summary: String) -> Setting {
        Setting(name, summary, shownDefault: nil, expected: "true or false",
                parse: { ["true": true, "false": false][$0.lowercased()].map(Optional.some) }, absent: { nil })
    }
}

extension Setting {
    /// One of a fixed set of words, e.g. a log format.
    public static func choice(_ name: String, default value: Value, _ summary: String) -> Setting
    where Value: RawRepresentable<String> & CaseIterable {
        let words = Value.allCases.map(\.rawValue)
        return Setting(name, summary, shownDefault: value.rawValue,
                       expected: "one of " + words.joined(separator: ", "),
                       parse: { Value(rawValue: $0.lowercased()) }, absent: { value })
    }
}

extension Setting where Value == String {
    /// One of `words` (compared without case), returned as written in `words`.
    public static func word(_ name: String, default value: String, among words: [String], _ summary: String) -> Setting {
        Setting(name, summary, shownDefault: value, expected: "one of " + words.joined(separator: ", "),
                parse: { text in words.first { $0 == text.lowercased() } }, absent: { value })
    }
}
