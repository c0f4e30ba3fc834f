/// Every `LOOKOUT_*` key, by the part of Lookout that reads it: the one set documented in
/// docs/configuration.md (a test holds the two together). `lookout config check` prints each
/// section's effective values and names any key set that is in neither list.
public enum ConfigurationKeys {
    public struct Section: Sendable {
        public let name: String
        public let keys: [String]
    }

    public static let sections: [Section] = [
        Section(name: "shared", keys: [
            "LOOKOUT_CONFIG_FILE", "LOOKOUT_AMQP_URL", "LOOKOUT_AMQP_NAMESPACE", "LOOKOUT_DELIVERY_LIMIT", "LOOKOUT_MONGO_URI",
            "LOOKOUT_LOG_LEVEL", "LOOKOUT_LOG_FORMAT", "LOOKOUT_METRICS_PORT", "LOOKOUT_METRICS_HOST",
            "LOOKOUT_PSEUDONYM_KEY", "LOOKOUT_PSEUDONYM_KEY_FILE", "LOOKOUT_TIME_ZONE",
        ]),
        Section(name: "receive", keys: [
            "LOOKOUT_ZOOM_SECRET_TOKEN", "LOOKOUT_ZOOM_SECRET_TOKEN_FILE", "LOOKOUT_HTTP_HOST", "LOOKOUT_HTTP_PORT",
            "LOOKOUT_WEBHOOK_PATH", "LOOKOUT_MAX_BODY_BYTES", "LOOKOUT_BODY_TIMEOUT_MS", "LOOKOUT_IDLE_TIMEOUT_MS", "LOOKOUT_CONFIRM_TIMEOUT_MS",
            "LOOKOUT_SPOOL_DIR", "LOOKOUT_SPOOL_MAX_BYTES", "LOOKOUT_RETRY_HORIZON_SECONDS",
        ]),
        Section(name: "store", keys: ["LOOKOUT_STORE_PREFETCH", "LOOKOUT_STORE_BATCH"]),
        Section(name: "project", keys: [
            "LOOKOUT_PROJECTION_RULES", "LOOKOUT_PROJECT_PREFETCH", "LOOKOUT_PROJECT_BATCH", "LOOKOUT_EXPORT_DIR",
            "LOOKOUT_EXPORT_TIMEZONE", "LOOKOUT_EXPORT_DEBOUNCE_MS", "LOOKOUT_EXPORT_MEETING_ID", "LOOKOUT_EXPORT_ALLOWED_NAMES",
            "LOOKOUT_EXPORT_PSEUDONYMIZE", "LOOKOUT_EXPORT_PSEUDONYM_SALT", "LOOKOUT_EXPORT_PSEUDONYM_SALT_FILE",
            "LOOKOUT_EXPORT_CHANGE_OVERLAP_MS", "LOOKOUT_EXPORT_FULL_READ_MS",
        ]),
        Section(name: "notify", keys: [
            "LOOKOUT_NOTIFY_RULES", "LOOKOUT_NOTIFY_EVENTS", "LOOKOUT_NOTIFY_WINDOW_MS", "LOOKOUT_NOTIFY_MAX_NAMES",
            "LOOKOUT_NOTIFY_TIME_ZONE", "LOOKOUT_NOTIFY_PSEUDONYM_KEY", "LOOKOUT_NOTIFY_PSEUDONYM_KEY_FILE",
            "LOOKOUT_NOTIFY_PREFETCH", "LOOKOUT_NOTIFY_TIMEOUT_MS", "LOOKOUT_NOTIFY_RETRY_INITIAL_MS",
            "LOOKOUT_NOTIFY_RETRY_MAX_MS", "LOOKOUT_NOTIFY_MAX_ATTEMPTS",
        ]),
        Section(name: "web", keys: [
            "LOOKOUT_WEB_HOST", "LOOKOUT_WEB_PORT", "LOOKOUT_WEB_TOKEN", "LOOKOUT_WEB_TOKEN_FILE", "LOOKOUT_WEB_CORS_ORIGIN",
            "LOOKOUT_WEB_TITLE", "LOOKOUT_WEB_POLL_MS", "LOOKOUT_WEB_MAX_STREAMS", "LOOKOUT_WEB_DEFAULT_PERIOD", "LOOKOUT_WEB_TERM_START",
        ]),
        Section(name: "backfill", keys: [
            "LOOKOUT_ZOOM_ACCOUNT_ID", "LOOKOUT_ZOOM_CLIENT_ID", "LOOKOUT_ZOOM_CLIENT_SECRET", "LOOKOUT_ZOOM_CLIENT_SECRET_FILE",
            "LOOKOUT_ZOOM_PLAN", "LOOKOUT_ZOOM_DAILY_SHARE", "LOOKOUT_ZOOM_HEAVY_RATE", "LOOKOUT_ZOOM_API_URL", "LOOKOUT_ZOOM_OAUTH_URL",
        ]),
        Section(name: "reconcile", keys: [
            "LOOKOUT_RECONCILE_DELAY_MS", "LOOKOUT_RECONCILE_SILENCE_MS", "LOOKOUT_RECONCILE_INTERVAL_MS",
            "LOOKOUT_RECONCILE_TOLERANCE_MS",
        ]),
        Section(name: "zoho", keys: [
            "LOOKOUT_ZOHO_DATA_CENTER", "LOOKOUT_ZOHO_ORG_ID", "LOOKOUT_ZOHO_WORKSPACE_ID", "LOOKOUT_ZOHO_DISCONNECTIONS_VIEW_ID",
            "LOOKOUT_ZOHO_INCIDENTS_VIEW_ID", "LOOKOUT_ZOHO_CLIENT_ID", "LOOKOUT_ZOHO_CLIENT_SECRET", "LOOKOUT_ZOHO_CLIENT_SECRET_FILE",
            "LOOKOUT_ZOHO_REFRESH_TOKEN", "LOOKOUT_ZOHO_REFRESH_TOKEN_FILE", "LOOKOUT_ZOHO_TOKEN", "LOOKOUT_ZOHO_TOKEN_FILE",
            "LOOKOUT_ZOHO_API_URL", "LOOKOUT_ZOHO_OAUTH_URL",
        ]),
    ]

    /// Read by the ops scripts and the tests, never by `lookout` itself.
    public static let operations: Set<String> = [
        "LOOKOUT_AMQP_PORT", "LOOKOUT_MONGO_PORT", "LOOKOUT_EPMD_PORT", "LOOKOUT_DIST_PORT", "LOOKOUT_RABBITMQ_NODE",
        "LOOKOUT_SECANTUSD", "LOOKOUT_CLUSTER_NODES", "LOOKOUT_CLUSTER_AMQP_PORTS", "LOOKOUT_CLUSTER_DIST_PORTS",
        "LOOKOUT_IMAGE", "LOOKOUT_SAMPLE_DAYS", "LOOKOUT_SAMPLE_MEETINGS",
    ]

    public static let all: Set<String> = Set(sections.flatMap(\.keys))

    /// A key Lookout does not know (a typo, or a key of another version), with the nearest
    /// known key when one is close. Tests' own keys (`LOOKOUT_TEST_*`) are not flagged.
    public static func unknown(_ key: String) -> (key: String, suggestion: String?)? {
        guard !all.contains(key), !operations.contains(key), !key.hasPrefix("LOOKOUT_TEST_") else { return nil }
        let nearest = all.map { ($0, distance(key, $0)) }.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
        return (key, nearest.flatMap { $0.1 <= 3 ? $0.0 : nil })
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
