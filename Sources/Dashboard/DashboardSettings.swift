import Foundation
import LookoutCore
import Exports
import Projections

/// What `lookout web` needs to know; read from `LOOKOUT_WEB_*` keys, plus the export keys for
/// privacy (the public view shows exactly what the exports show) and `LOOKOUT_TIME_ZONE`.
public struct DashboardSettings: Sendable {
    typealias Key = ConfigurationKeys.Web

    public var host = Key.host.defaultValue
    public var port = Key.port.defaultValue
    /// Shown in the page header and title, e.g. the institution's name.
    public var title = Key.title.defaultValue
    /// Tokens that open the full view; none: the full view is off.
    public var tokens: [String] = []
    /// `Access-Control-Allow-Origin` of the public API and exports: `*`, or the allowed origins.
    public var corsOrigins = Key.corsOrigin.defaultValue
    public var pollInterval = Key.poll.defaultValue
    /// Live pages connected at once; more get 503 and their browser retries.
    public var maxStreams = Key.maxStreams.defaultValue
    /// What a page without `period` shows (the room view shows what is live now, whatever this says).
    public var defaultPeriod = period(Key.defaultPeriod.defaultValue)
    /// First day of the term (`period=term`); nil: the last 90 days.
    public var termStart: Period.Bound?
    public var exports: ExportSettings
    public var rules: ProjectionRules

    public init(exports: ExportSettings, rules: ProjectionRules) {
        self.exports = exports
        self.rules = rules
    }

    public init(configuration: Configuration, exports: ExportSettings, rules: ProjectionRules) throws(ConfigurationError) {
        self.init(exports: exports, rules: rules)
        host = try configuration.value(Key.host)
        port = try configuration.value(Key.port)
        title = try configuration.value(Key.title)
        tokens = try configuration.value(Key.token)
        if let short = tokens.first(where: { $0.count < 16 }) {
            throw ConfigurationError(key: Key.token.name, problem: "tokens need at least 16 characters, one has \(short.count)")
        }
        corsOrigins = try configuration.value(Key.corsOrigin)
        if corsOrigins.count > 1, corsOrigins.contains("*") {
            throw ConfigurationError(key: Key.corsOrigin.name, problem: "either * or a list of origins, not both")
        }
        pollInterval = try configuration.value(Key.poll)
        maxStreams = try configuration.value(Key.maxStreams)
        defaultPeriod = Self.period(try configuration.value(Key.defaultPeriod))
        if let start = try configuration.value(Key.termStart) {
            guard case .day? = Period.parseBound(start) else {
                throw ConfigurationError(key: Key.termStart.name, problem: "expected a day as YYYY-MM-DD, got \"\(start)\"")
            }
            termStart = Period.parseBound(start)
        }
    }

    /// A word of `LOOKOUT_WEB_DEFAULT_PERIOD` (the declaration admits only periods with a name).
    private static func period(_ word: String) -> Period.Kind {
        guard let kind = Period.Kind(rawValue: word), kind != .custom else { preconditionFailure("\(word) is not a named period") }
        return kind
    }

    /// What the public view shows of people, for the start-up log and `ops/run`.
    public var publicNames: String {
        let privacy = exports.privacy
        if privacy.namesWithheld { return "withheld (counts only): set LOOKOUT_PSEUDONYM_KEY for pseudonyms" }
        let who = privacy.allowedNames.isEmpty ? "" : " of the \(privacy.allowedNames.count) allowed names"
        return (privacy.pseudonymize ? "pseudonyms" : "real names") + who
    }
}
