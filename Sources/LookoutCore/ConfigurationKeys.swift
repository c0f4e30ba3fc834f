import Foundation
import Logging

/// Every `LOOKOUT_*` key Lookout reads, declared once, by the part of Lookout that reads it. The
/// settings read these declarations, `lookout config check` prints each section's keys with their
/// effective values, each command's `--help` lists its section, and a test holds
/// docs/configuration.md to them (names and defaults). A key set that is in none of them is named
/// as unknown, with the nearest known key.
public enum ConfigurationKeys {
    public struct Section: Sendable {
        public let name: String
        public let keys: [SettingInfo]

        /// For a command's `--help`: "Keys: A, B (or _FILE), C."
        public var help: String { Self.help(keys) }

        /// Deprecated keys are left out: `--help` names what to set now.
        public static func help(_ keys: [SettingInfo]) -> String {
            "Keys: " + keys.filter { $0.replacement == nil }.map { $0.name + ($0.isSecret ? " (or _FILE)" : "") }
                .joined(separator: ", ") + "."
        }
    }

    public enum Shared {
        public static let configFile = Setting.optionalText(
            "LOOKOUT_CONFIG_FILE", "a file of further LOOKOUT_* settings; the environment wins")
        public static let amqpURL = Setting.text(
            "LOOKOUT_AMQP_URL", default: "amqp://guest:guest@127.0.0.1:5672/",
            "RabbitMQ, amqp://user:password@host:port/vhost; a cluster's nodes comma-separated")
        public static let amqpNamespace = Setting.text(
            "LOOKOUT_AMQP_NAMESPACE", default: "lookout", "prefix of every exchange and queue")
        public static let deliveryLimit = Setting.whole(
            "LOOKOUT_DELIVERY_LIMIT", default: 20, in: 1...1000, "deliveries after which a failing message is dead-lettered")
        public static let mongoURI = Setting.text(
            "LOOKOUT_MONGO_URI", default: "mongodb://127.0.0.1:27017/lookout?journal=true&serverSelectionTimeoutMS=5000",
            "MongoDB; the path is the database, write concern and timeouts are URI options")
        public static let logLevel = Setting.choice("LOOKOUT_LOG_LEVEL", default: Logger.Level.info, "least level logged")
        public static let logFormat = Setting.word(
            "LOOKOUT_LOG_FORMAT", default: "text", among: ["text", "json"], "text, or one JSON object per line")
        public static let metricsPort = Setting.whole(
            "LOOKOUT_METRICS_PORT", default: 0, in: 0...65535, "port of Prometheus /metrics and /health; 0: none")
        public static let metricsHost = Setting.text("LOOKOUT_METRICS_HOST", default: "0.0.0.0", "address of the metrics server")
        public static let pseudonymKey = Setting.secret(
            "LOOKOUT_PSEUDONYM_KEY", "secret (16+ characters) behind every pseudonym: dashboard, exports, Mattermost")
        public static let timeZone = timeZoneSetting(
            "LOOKOUT_TIME_ZONE", "the IANA time zone of the dashboard, the exports and Mattermost notices")

        public static let keys = [configFile.info, amqpURL.info, amqpNamespace.info, deliveryLimit.info, mongoURI.info,
                                  logLevel.info, logFormat.info, metricsPort.info, metricsHost.info, pseudonymKey.info,
                                  timeZone.info]
    }

    public enum Receive {
        public static let secretToken = Setting.secrets(
            "LOOKOUT_ZOOM_SECRET_TOKEN", "the Zoom app's Secret Token; several comma-separated (apps, rotation)")
        public static let host = Setting.text("LOOKOUT_HTTP_HOST", default: "0.0.0.0", "address to listen on")
        public static let port = Setting.whole("LOOKOUT_HTTP_PORT", default: 8080, in: 0...65535, "port to listen on")
        public static let webhookPath = Setting.text("LOOKOUT_WEBHOOK_PATH", default: "/zoom/webhook", "path Zoom posts to")
        public static let maxBodyBytes = Setting.whole(
            "LOOKOUT_MAX_BODY_BYTES", default: 1 << 20, in: 1024...(64 << 20), "bigger bodies get 413")
        public static let bodyTimeout = Setting.milliseconds(
            "LOOKOUT_BODY_TIMEOUT_MS", default: 10_000, in: 100...120_000, "a body not received within this gets 408")
        public static let idleTimeout = Setting.milliseconds(
            "LOOKOUT_IDLE_TIMEOUT_MS", default: 10_000, in: 100...600_000, "a connection idle this long is closed")
        public static let confirmTimeout = Setting.milliseconds(
            "LOOKOUT_CONFIRM_TIMEOUT_MS", default: 2000, in: 50...60_000,
            "longest wait for RabbitMQ's confirm before the event goes to the spool")
        public static let spoolDirectory = Setting.text(
            "LOOKOUT_SPOOL_DIR", default: "spool", "where events RabbitMQ did not confirm wait (fsynced)")
        public static let spoolMaxBytes = Setting.whole(
            "LOOKOUT_SPOOL_MAX_BYTES", default: 256 << 20, in: 0...(1 << 40), "spool cap, past it 503; 0: no spool")
        public static let retryHorizonSeconds = Setting.whole(
            "LOOKOUT_RETRY_HORIZON_SECONDS", default: 7200, in: 0...86_400,
            "how old a signed delivery's timestamp may be (Zoom's retries); 0: the 5 min window only")

        public static let keys = [secretToken.info, host.info, port.info, webhookPath.info, maxBodyBytes.info,
                                  bodyTimeout.info, idleTimeout.info, confirmTimeout.info, spoolDirectory.info,
                                  spoolMaxBytes.info, retryHorizonSeconds.info]
    }

    /// The store and projection workers' consumer limits.
    public struct WorkerLimits: Sendable {
        public let prefetch: Setting<Int>
        public let batch: Setting<Int>

        init(_ kind: String) {
            prefetch = .whole("LOOKOUT_\(kind)_PREFETCH", default: 500, in: 1...10_000,
                              "unacknowledged deliveries the broker may hand one replica")
            batch = .whole("LOOKOUT_\(kind)_BATCH", default: 500, in: 1...10_000, "most events written in one batch")
        }

        public var keys: [SettingInfo] { [prefetch.info, batch.info] }
    }

    public enum Store {
        public static let limits = WorkerLimits("STORE")
    }

    public enum Project {
        public static let limits = WorkerLimits("PROJECT")
        public static let rules = Setting.optionalText(
            "LOOKOUT_PROJECTION_RULES", "JSON rules file: network patterns, bounce, collective thresholds, meeting filter")

        public static let keys = [rules.info] + limits.keys
    }

    public enum Export {
        public static let directory = Setting.text("LOOKOUT_EXPORT_DIR", default: "exports", "where export files are written")
        public static let debounce = Setting.milliseconds(
            "LOOKOUT_EXPORT_DEBOUNCE_MS", default: 2000, in: 0...600_000, "least time between two rewrites of the exports")
        public static let changeOverlap = Setting.milliseconds(
            "LOOKOUT_EXPORT_CHANGE_OVERLAP_MS", default: 10_000, in: 0...3_600_000,
            "how far before its previous read the export writer reads changed documents again")
        public static let fullReadInterval = Setting.milliseconds(
            "LOOKOUT_EXPORT_FULL_READ_MS", default: 600_000, in: 1000...86_400_000,
            "how often every projection is read again instead of the changed ones")
        public static let meetingID = Setting.optionalText(
            "LOOKOUT_EXPORT_MEETING_ID", "only this meeting's participants in the dashboard CSV")
        public static let allowedNames = Setting.list(
            "LOOKOUT_EXPORT_ALLOWED_NAMES", default: [], "names the exports and the public dashboard may show")
        public static let pseudonymize = Setting.flag(
            "LOOKOUT_EXPORT_PSEUDONYMIZE", "true: pseudonyms, false: real names, unset: private (pseudonyms or counts)")
        public static let formerTimeZone = timeZoneSetting(
            "LOOKOUT_EXPORT_TIMEZONE", "deprecated: read as LOOKOUT_TIME_ZONE when that is unset").replaced(by: Shared.timeZone)
        public static let formerPseudonymSalt = Setting.secret(
            "LOOKOUT_EXPORT_PSEUDONYM_SALT", "deprecated: read as LOOKOUT_PSEUDONYM_KEY when that is unset")
            .replaced(by: Shared.pseudonymKey)

        public static let keys = [directory.info, formerTimeZone.info, debounce.info, changeOverlap.info,
                                  fullReadInterval.info, meetingID.info, allowedNames.info, pseudonymize.info,
                                  formerPseudonymSalt.info]
    }

    public enum Notify {
        /// Bound when LOOKOUT_NOTIFY_EVENTS is not set; unbound when it is set without them.
        public static let defaultEvents = [
            "meeting.participant_joined", "meeting.participant_left",
            "meeting.started", "meeting.ended",
            "meeting.sharing_started", "meeting.sharing_ended",
            "meeting.participant_joined_waiting_room", "meeting.participant_admitted",
            "meeting.alert", "lookout.incident.#", "lookout.reconcile.repaired",
        ]

        public static let rules = Setting.optionalText(
            "LOOKOUT_NOTIFY_RULES", "the routing rules file (JSON): hooks, routes, privacy")
            .required("(the path of the routing rules file; see ops/notify-rules.example.json)")
        public static let events = Setting.list(
            "LOOKOUT_NOTIFY_EVENTS", default: defaultEvents, "routing keys (topic patterns) the notify queue is bound to")
        public static let window = Setting.milliseconds(
            "LOOKOUT_NOTIFY_WINDOW_MS", default: 3000, in: 0...60_000, "coalescing window for one meeting's joins and leaves")
        public static let maxNames = Setting.whole(
            "LOOKOUT_NOTIFY_MAX_NAMES", default: 10, in: 1...100, "names in a grouped notice before \"… and N more\"")
        public static let prefetch = Setting.whole(
            "LOOKOUT_NOTIFY_PREFETCH", default: 500, in: 1...10_000, "unacknowledged deliveries the notifier may hold")
        public static let timeout = Setting.milliseconds(
            "LOOKOUT_NOTIFY_TIMEOUT_MS", default: 10_000, in: 100...120_000, "longest wait for Mattermost's answer")
        public static let retryInitial = Setting.milliseconds(
            "LOOKOUT_NOTIFY_RETRY_INITIAL_MS", default: 2000, in: 100...60_000, "first retry delay, doubling per attempt")
        public static let retryMaximum = Setting.milliseconds(
            "LOOKOUT_NOTIFY_RETRY_MAX_MS", default: 600_000, in: 1000...3_600_000, "longest retry delay")
        public static let maxAttempts = Setting.whole(
            "LOOKOUT_NOTIFY_MAX_ATTEMPTS", default: 15, in: 1...100, "failed attempts after which a notice is parked")
        public static let formerTimeZone = timeZoneSetting(
            "LOOKOUT_NOTIFY_TIME_ZONE", "deprecated: read as LOOKOUT_TIME_ZONE when that is unset").replaced(by: Shared.timeZone)
        public static let formerPseudonymKey = Setting.secret(
            "LOOKOUT_NOTIFY_PSEUDONYM_KEY", "deprecated: read as LOOKOUT_PSEUDONYM_KEY when that is unset")
            .replaced(by: Shared.pseudonymKey)

        public static let keys = [rules.info, events.info, window.info, maxNames.info, formerTimeZone.info,
                                  formerPseudonymKey.info, prefetch.info, timeout.info, retryInitial.info,
                                  retryMaximum.info, maxAttempts.info]
    }

    public enum Web {
        public static let host = Setting.text("LOOKOUT_WEB_HOST", default: "0.0.0.0", "address to listen on")
        public static let port = Setting.whole("LOOKOUT_WEB_PORT", default: 8081, in: 0...65535, "port to listen on")
        public static let token = Setting.secrets(
            "LOOKOUT_WEB_TOKEN", "tokens (16+ characters) that open the full view under /full/; none: off")
        public static let corsOrigin = Setting.list(
            "LOOKOUT_WEB_CORS_ORIGIN", default: ["*"], "Access-Control-Allow-Origin of the public API: * or origins")
        public static let title = Setting.text("LOOKOUT_WEB_TITLE", default: "Lookout", "name in the page header and title")
        public static let poll = Setting.milliseconds(
            "LOOKOUT_WEB_POLL_MS", default: 1000, in: 100...60_000, "how often the change marker is read")
        public static let maxStreams = Setting.whole(
            "LOOKOUT_WEB_MAX_STREAMS", default: 1000, in: 1...100_000, "live pages open at once; more get 503")
        public static let defaultPeriod = Setting.word(
            "LOOKOUT_WEB_DEFAULT_PERIOD", default: "7d", among: ["today", "7d", "30d", "term"],
            "what a page without period shows")
        public static let termStart = Setting.optionalText(
            "LOOKOUT_WEB_TERM_START", "first day of the term (YYYY-MM-DD); unset: the last 90 days")

        public static let keys = [host.info, port.info, token.info, corsOrigin.info, title.info, poll.info,
                                  maxStreams.info, defaultPeriod.info, termStart.info]
    }

    /// Zoom's REST API: the backfill and the reconciliation.
    public enum Backfill {
        public static let accountID = Setting.optionalText("LOOKOUT_ZOOM_ACCOUNT_ID", "Server-to-Server OAuth app: Account ID")
            .required("for the backfill")
        public static let clientID = Setting.optionalText("LOOKOUT_ZOOM_CLIENT_ID", "Server-to-Server OAuth app: Client ID")
            .required("for the backfill")
        public static let clientSecret = Setting.secret(
            "LOOKOUT_ZOOM_CLIENT_SECRET", "Server-to-Server OAuth app: Client Secret").required("for the backfill")
        public static let plan = Setting.word(
            "LOOKOUT_ZOOM_PLAN", default: "pro", among: ["pro", "business"], "the account's plan, for Zoom's rate limits")
        public static let dailyShare = Setting.whole(
            "LOOKOUT_ZOOM_DAILY_SHARE", default: 50, in: 1...100, "percent of the plan's daily cap Lookout may use")
        public static let heavyRate = Setting<Int?>(
            "LOOKOUT_ZOOM_HEAVY_RATE", "Heavy requests a second (default 80 % of the plan's limit)",
            shownDefault: nil, expected: "a whole number of requests a second",
            parse: { Int($0.trimmingCharacters(in: .whitespaces)).map(Optional.some) }, absent: { nil })
        public static let apiURL = Setting.text("LOOKOUT_ZOOM_API_URL", default: "https://api.zoom.us", "Zoom REST API")
        public static let oauthURL = Setting.text(
            "LOOKOUT_ZOOM_OAUTH_URL", default: "https://zoom.us/oauth/token", "Zoom OAuth token endpoint")

        public static let keys = [accountID.info, clientID.info, clientSecret.info, plan.info, dailyShare.info,
                                  heavyRate.info, apiURL.info, oauthURL.info]
    }

    public enum Reconcile {
        public static let delay = Setting.milliseconds(
            "LOOKOUT_RECONCILE_DELAY_MS", default: 900_000, in: 0...86_400_000, "how long after its end an instance is reconciled")
        public static let silence = Setting.milliseconds(
            "LOOKOUT_RECONCILE_SILENCE_MS", default: 21_600_000, in: 60_000...604_800_000,
            "an instance without an end, unchanged this long, is reconciled too")
        public static let interval = Setting.milliseconds(
            "LOOKOUT_RECONCILE_INTERVAL_MS", default: 60_000, in: 1000...3_600_000, "how often instances due are looked for")
        public static let tolerance = Setting.milliseconds(
            "LOOKOUT_RECONCILE_TOLERANCE_MS", default: 60_000, in: 0...3_600_000,
            "a join or leave of Zoom's record this close to a known one is the same")

        public static let keys = [delay.info, silence.info, interval.info, tolerance.info]
    }

    public enum Zoho {
        public static let dataCenter = Setting.text(
            "LOOKOUT_ZOHO_DATA_CENTER", default: "com", "the Zoho account's data centre: com, eu, in, com.au, jp or ca")
        public static let orgID = Setting.optionalText("LOOKOUT_ZOHO_ORG_ID", "organisation id (ZANALYTICS-ORGID)")
        public static let workspaceID = Setting.optionalText("LOOKOUT_ZOHO_WORKSPACE_ID", "workspace id")
            .required("for the Zoho upload")
        public static let disconnectionsViewID = Setting.optionalText(
            "LOOKOUT_ZOHO_DISCONNECTIONS_VIEW_ID", "table for zoho-disconnections.csv").required("for the Zoho upload")
        public static let incidentsViewID = Setting.optionalText(
            "LOOKOUT_ZOHO_INCIDENTS_VIEW_ID", "table for zoho-incidents.csv").required("for the Zoho upload")
        public static let clientID = Setting.optionalText("LOOKOUT_ZOHO_CLIENT_ID", "Zoho API client the refresh token was granted to")
        public static let clientSecret = Setting.secret("LOOKOUT_ZOHO_CLIENT_SECRET", "its client secret")
        public static let refreshToken = Setting.secret(
            "LOOKOUT_ZOHO_REFRESH_TOKEN", "refresh token with scope ZohoAnalytics.data.create")
        public static let token = Setting.secret(
            "LOOKOUT_ZOHO_TOKEN", "instead of the refresh token: a static access token (an hour, never renewed)")
        public static let apiURL = Setting<String?>(
            "LOOKOUT_ZOHO_API_URL", "Analytics API server", shownDefault: "https://analyticsapi.zoho.<dc>",
            expected: "a URL", parse: { $0 }, absent: { nil })
        public static let oauthURL = Setting<String?>(
            "LOOKOUT_ZOHO_OAUTH_URL", "OAuth token endpoint", shownDefault: "https://accounts.zoho.<dc>/oauth/v2/token",
            expected: "a URL", parse: { $0 }, absent: { nil })

        public static let keys = [dataCenter.info, orgID.info, workspaceID.info, disconnectionsViewID.info,
                                  incidentsViewID.info, clientID.info, clientSecret.info, refreshToken.info,
                                  token.info, apiURL.info, oauthURL.info]
    }

    public static let sections: [Section] = [
        Section(name: "shared", keys: Shared.keys),
        Section(name: "receive", keys: Receive.keys),
        Section(name: "store", keys: Store.limits.keys),
        Section(name: "project", keys: Project.keys + Export.keys),
        Section(name: "notify", keys: Notify.keys),
        Section(name: "web", keys: Web.keys),
        Section(name: "backfill", keys: Backfill.keys),
        Section(name: "reconcile", keys: Reconcile.keys),
        Section(name: "zoho", keys: Zoho.keys),
    ]

    public static func section(_ name: String) -> Section? { sections.first { $0.name == name } }

    /// An IANA time zone (`Europe/Paris`); unset: nil.
    static func timeZoneSetting(_ name: String, _ summary: String) -> Setting<TimeZone?> {
        Setting(name, summary, shownDefault: nil, expected: "an IANA time zone such as Europe/Paris",
                parse: { TimeZone(identifier: $0).map(Optional.some) }, absent: { nil })
    }

    /// Read by the ops scripts and the tests, never by `lookout` itself.
    public static let operations: Set<String> = [
        "LOOKOUT_AMQP_PORT", "LOOKOUT_MONGO_PORT", "LOOKOUT_EPMD_PORT", "LOOKOUT_DIST_PORT", "LOOKOUT_RABBITMQ_NODE",
        "LOOKOUT_SECANTUSD", "LOOKOUT_CLUSTER_NODES", "LOOKOUT_CLUSTER_AMQP_PORTS", "LOOKOUT_CLUSTER_DIST_PORTS",
        "LOOKOUT_IMAGE", "LOOKOUT_SAMPLE_DAYS", "LOOKOUT_SAMPLE_MEETINGS",
    ]

    /// Every declared name, a secret's `_FILE` variant included.
    public static let all: Set<String> = Set(sections.flatMap(\.keys).flatMap { $0.isSecret ? [$0.name, $0.name + "_FILE"] : [$0.name] })

    /// A key Lookout does not know (a typo, or a key of another version), with the nearest
    /// known key when one is close. Tests' own keys (`LOOKOUT_TEST_*`) are not flagged.
    public static func unknown(_ key: String) -> (key: String, suggestion: String?)? {
        guard !all.contains(key), !operations.contains(key), !key.hasPrefix("LOOKOUT_TEST_") else { return nil }
        let distances: [(name: String, distance: Int)] = all.map { ($0, distance(key, $0)) }
        let nearest = distances.min { a, b in a.distance < b.distance || (a.distance == b.distance && a.name < b.name) }
        guard let nearest, nearest.distance <= 3 else { return (key, nil) }
        return (key, nearest.name)
    }

    /// Levenshtein distance (keys are short ASCII).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
