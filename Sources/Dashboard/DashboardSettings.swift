import Foundation
import LookoutCore
import Exports
import Projections

/// What `lookout web` needs to know; read from `LOOKOUT_WEB_*` keys, plus the export keys for
/// privacy (the public view shows exactly what the exports show) and `LOOKOUT_TIME_ZONE`.
public struct DashboardSettings: Sendable {
    public var host = "0.0.0.0"
    public var port = 8081
    /// Shown in the page header and title, e.g. the institution's name.
    public var title = "Lookout"
    /// Tokens that open the full view; none: the full view is off.
    public var tokens: [String] = []
    /// `Access-Control-Allow-Origin` of the public API and exports: `*`, or the allowed origins.
    public var corsOrigins = ["*"]
    public var pollInterval: Duration = .seconds(1)
    /// Live pages connected at once; more get 503 and their browser retries.
    public var maxStreams = 1000
    /// What a page without `period` shows (the room view shows what is live now, whatever this says).
    public var defaultPeriod: Period.Kind = .week
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
        host = configuration.string("LOOKOUT_WEB_HOST", default: host)
        port = try configuration.int("LOOKOUT_WEB_PORT", default: port, range: 0...65535)
        title = configuration.string("LOOKOUT_WEB_TITLE", default: title)
        tokens = try configuration.secrets("LOOKOUT_WEB_TOKEN")
        if let short = tokens.first(where: { $0.count < 16 }) {
            throw ConfigurationError(key: "LOOKOUT_WEB_TOKEN", problem: "tokens need at least 16 characters, one has \(short.count)")
        }
        corsOrigins = configuration.string("LOOKOUT_WEB_CORS_ORIGIN", default: "*")
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if corsOrigins.count > 1, corsOrigins.contains("*") {
            throw ConfigurationError(key: "LOOKOUT_WEB_CORS_ORIGIN", problem: "either * or a list of origins, not both")
        }
        pollInterval = try configuration.milliseconds("LOOKOUT_WEB_POLL_MS", default: 1000, range: 100...60_000)
        maxStreams = try configuration.int("LOOKOUT_WEB_MAX_STREAMS", default: maxStreams, range: 1...100_000)
        let period = configuration.string("LOOKOUT_WEB_DEFAULT_PERIOD", default: defaultPeriod.rawValue)
        guard let kind = Period.Kind(rawValue: period), kind != .custom else {
            throw ConfigurationError(key: "LOOKOUT_WEB_DEFAULT_PERIOD", problem: "expected today, 7d, 30d or term, got \"\(period)\"")
        }
        defaultPeriod = kind
        if let start = configuration.optionalString("LOOKOUT_WEB_TERM_START") {
            guard case .day? = Period.parseBound(start) else {
                throw ConfigurationError(key: "LOOKOUT_WEB_TERM_START", problem: "expected a day as YYYY-MM-DD, got \"\(start)\"")
            }
            termStart = Period.parseBound(start)
        }
    }

    /// What the public view shows of people, for the start-up log and `ops/run`.
    public var publicNames: String {
        let privacy = exports.privacy
        if privacy.namesWithheld { return "withheld (counts only): set LOOKOUT_PSEUDONYM_KEY for pseudonyms" }
        let who = privacy.allowedNames.isEmpty ? "" : " of the \(privacy.allowedNames.count) allowed names"
        return (privacy.pseudonymize ? "pseudonyms" : "real names") + who
    }
}
